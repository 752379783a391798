/** The service API for pages: the client, its provider, errors and the connection state. */
export { CuratorProvider, useCurator } from './context';
export { apiErrorOf, CuratorClientError, CONNECTION_LOST } from './errors';
export { createClient } from './client';
export { useConnectionStatus, type ConnectionStatus } from './connection';
export { createWsClient, type WsClient, type WsClientOptions } from './ws-client';
export { API_METHOD_NAMES } from './methods';
export type { ApiErrorInfo, ApiErrorCode, CuratorClient, CuratorEvent } from '../../../runner/service/contract';
