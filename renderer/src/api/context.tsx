// The client the pages talk to, provided once by the app frame (and by tests with a fake or a real client).
import { createContext, useContext, type ReactNode } from 'react';
import type { CuratorClient } from '../../../runner/service/contract';

const CuratorContext = createContext<CuratorClient | null>(null);

export function CuratorProvider({ client, children }: { client: CuratorClient; children: ReactNode }) {
  return <CuratorContext.Provider value={client}>{children}</CuratorContext.Provider>;
}

/** The service API of whichever host this is (Electron preload or `curator serve`). */
export function useCurator(): CuratorClient {
  const client = useContext(CuratorContext);
  if (!client) throw new Error('useCurator: no CuratorProvider above this component');
  return client;
}
