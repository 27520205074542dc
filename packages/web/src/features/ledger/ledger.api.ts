import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiBase, request, withQuery } from '../../api/client.ts';
import type {
  AdjustmentBody,
  CorrectionBody,
  CountBody,
  DispensingLog,
  InventoryStatus,
  LedgerCount,
  LedgerCountSummary,
  LedgerEntry,
  LedgerLocation,
  LedgerLot,
  LedgerProduct,
  LedgerSettings,
  LedgerSettingsBody,
  LocationBody,
  LossBody,
  LossFiling,
  OpenLoss,
  ProductBalance,
  ProductBody,
  ReceiptBody,
  TransferBody,
  WasteBody,
} from './ledger.types.ts';

/** The ledger's API (modules/ledger: locations, stock, entries; ledger-reports: counts, the log, settings). */
const base = `${apiBase}/ledger`;

export const ledgerKeys = {
  all: ['ledger'] as const,
  locations: ['ledger', 'locations'] as const,
  products: ['ledger', 'products'] as const,
  lots: (locationId: string, includeEmpty: boolean) => ['ledger', 'lots', locationId, includeEmpty] as const,
  balances: (locationId: string) => ['ledger', 'balances', locationId] as const,
  entries: (locationId: string, lotId: string | null) => ['ledger', 'entries', locationId, lotId] as const,
  counts: (locationId: string) => ['ledger', 'counts', locationId] as const,
  count: (countId: string) => ['ledger', 'count', countId] as const,
  inventoryStatus: ['ledger', 'inventory-status'] as const,
  log: (locationId: string, from: string, to: string) =>
    ['ledger', 'dispensing-log', locationId, from, to] as const,
  settings: ['ledger', 'settings'] as const,
  openLosses: ['ledger', 'losses', 'open'] as const,
};

export function useLocations() {
  return useQuery({
    queryKey: ledgerKeys.locations,
    queryFn: ({ signal }) => request<{ items: LedgerLocation[] }>(`${base}/locations`, { signal }),
    retry: false,
  });
}

export function useProducts() {
  return useQuery({
    queryKey: ledgerKeys.products,
    queryFn: ({ signal }) => request<{ items: LedgerProduct[] }>(`${base}/products`, { signal }),
    retry: false,
  });
}

export function useLots(locationId: string | null, includeEmpty = false) {
  return useQuery({
    queryKey: ledgerKeys.lots(locationId ?? '', includeEmpty),
    queryFn: ({ signal }) =>
      request<{ items: LedgerLot[] }>(`${base}/lots`, {
        query: { locationId, includeEmpty: includeEmpty ? 'true' : undefined },
        signal,
      }),
    enabled: !!locationId,
    retry: false,
    placeholderData: keepPreviousData,
  });
}

export function useBalances(locationId: string | null) {
  return useQuery({
    queryKey: ledgerKeys.balances(locationId ?? ''),
    queryFn: ({ signal }) =>
      request<{ items: ProductBalance[] }>(`${base}/balances`, { query: { locationId }, signal }),
    enabled: !!locationId,
    retry: false,
  });
}

export function useEntries(locationId: string | null, lotId: string | null) {
  return useInfiniteQuery({
    queryKey: ledgerKeys.entries(locationId ?? '', lotId),
    queryFn: ({ pageParam, signal }) =>
      request<{ items: LedgerEntry[]; nextCursor: string | null }>(`${base}/entries`, {
        query: { locationId, lotId, cursor: pageParam, limit: 50 },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: !!locationId,
    retry: false,
  });
}

/** Every write refreshes the whole ledger (balances, lots, entries, counts; the session flow's lot picker too). */
function useLedgerWrite<TBody, TResult>(path: string, method: 'POST' | 'PUT' | 'PATCH' = 'POST') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TBody) => request<TResult>(`${base}${path}`, { method, body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.all }),
  });
}

export const useRecordReceipt = () => useLedgerWrite<ReceiptBody, LedgerEntry>('/receipts');
export const useRecordWaste = () => useLedgerWrite<WasteBody, LedgerEntry>('/wastes');
export const useRecordTransfer = () => useLedgerWrite<TransferBody, LedgerEntry>('/transfers');
export const useRecordLoss = () => useLedgerWrite<LossBody, LedgerEntry>('/losses');
export const useRecordAdjustment = () => useLedgerWrite<AdjustmentBody, LedgerEntry>('/adjustments');
export const useRecordCorrection = () => useLedgerWrite<CorrectionBody, LedgerEntry>('/corrections');
export const useCreateLocation = () => useLedgerWrite<LocationBody, LedgerLocation>('/locations');
export const useCreateProduct = () => useLedgerWrite<ProductBody, LedgerProduct>('/products');
export const useRecordCount = () => useLedgerWrite<CountBody, LedgerCount>('/counts');
export const useSaveSettings = () => useLedgerWrite<LedgerSettingsBody, LedgerSettings>('/settings', 'PUT');

export function useResolveDiscrepancy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ countId, lotId, entryId }: { countId: string; lotId: string; entryId: string }) =>
      request<LedgerCount>(
        `${base}/counts/${encodeURIComponent(countId)}/lots/${encodeURIComponent(lotId)}/resolutions`,
        { method: 'POST', body: { entryId } },
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.all }),
  });
}

export function useCounts(locationId: string | null) {
  return useQuery({
    queryKey: ledgerKeys.counts(locationId ?? ''),
    queryFn: ({ signal }) =>
      request<{ items: LedgerCountSummary[] }>(`${base}/counts`, { query: { locationId }, signal }),
    enabled: !!locationId,
    retry: false,
  });
}

export function useCount(countId: string | null) {
  return useQuery({
    queryKey: ledgerKeys.count(countId ?? ''),
    queryFn: ({ signal }) =>
      request<LedgerCount>(`${base}/counts/${encodeURIComponent(countId!)}`, { signal }),
    enabled: !!countId,
    retry: false,
  });
}

export function useInventoryStatus() {
  return useQuery({
    queryKey: ledgerKeys.inventoryStatus,
    queryFn: ({ signal }) => request<InventoryStatus>(`${base}/inventory-status`, { signal }),
    retry: false,
  });
}

export function useDispensingLog(query: { locationId: string; from: string; to: string } | null) {
  return useQuery({
    queryKey: ledgerKeys.log(query?.locationId ?? '', query?.from ?? '', query?.to ?? ''),
    queryFn: ({ signal }) => request<DispensingLog>(`${base}/dispensing-log`, { query: query!, signal }),
    enabled: !!query,
    retry: false,
    // The log names patients: not kept once the screen is left.
    gcTime: 0,
  });
}

export function useLedgerSettings() {
  return useQuery({
    queryKey: ledgerKeys.settings,
    queryFn: ({ signal }) => request<LedgerSettings>(`${base}/settings`, { signal }),
    retry: false,
  });
}

/** Download and print links (the browser fetches them with the session cookie; nothing is stored). */
export const dispensingLogUrl = (
  format: 'csv' | 'pdf',
  query: { locationId: string; from: string; to: string },
) => withQuery(`${base}/dispensing-log.${format}`, query);
export const countReportUrl = (countId: string, format: 'csv' | 'pdf') =>
  `${base}/counts/${encodeURIComponent(countId)}/report.${format}`;

export function useOpenLosses() {
  return useQuery({
    queryKey: ledgerKeys.openLosses,
    queryFn: ({ signal }) => request<{ items: OpenLoss[] }>(`${base}/losses/open`, { signal }),
    retry: false,
  });
}

export function useRecordLossFiling() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      lossId,
      ...body
    }: {
      lossId: string;
      id: string;
      kind: LossFiling['kind'];
      filedAt: string;
      reference?: string;
    }) =>
      request<LossFiling>(`${base}/losses/${encodeURIComponent(lossId)}/filings`, { method: 'POST', body }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ledgerKeys.all }),
  });
}
