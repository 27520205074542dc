import { useEffect } from 'react';

/** Page titles name the screen only, never a patient: tab titles end up in browser history on disk. */
export function useDocumentTitle(screen: string): void {
  useEffect(() => {
    document.title = `${screen} · Kapstone`;
  }, [screen]);
}
