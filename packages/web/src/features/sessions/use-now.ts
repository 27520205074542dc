import { useEffect, useState } from 'react';

/**
 * The tablet's clock, re-read every `everyMs`: elapsed times and "overdue" move on between refreshes of the
 * data. Only a display clock; every recorded time is the server's or the moment the nurse saved.
 */
export function useNow(everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
