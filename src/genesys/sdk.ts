import platformClient from 'purecloud-platform-client-v2';
import type { GenesysEndpoints } from './region.js';

type SdkApiClient = typeof platformClient.ApiClient;

/** The SDK pieces one Genesys client uses; nothing of this type leaves src/genesys. */
export interface SdkClients {
  apiClient: SdkApiClient;
  presence: platformClient.PresenceApi;
  users: platformClient.UsersApi;
  notifications: platformClient.NotificationsApi;
}

/**
 * The SDK exports a ready-made singleton (`platformClient.ApiClient`) and, untyped, its class
 * (`ApiClientClass`). Each Genesys client gets its own instance so two clients in one process (tests,
 * several orgs) never share an access token.
 */
function newApiClient(): SdkApiClient {
  const exported: unknown = Reflect.get(platformClient, 'ApiClientClass');
  if (typeof exported !== 'function') {
    throw new Error('purecloud-platform-client-v2 no longer exports ApiClientClass; check the pinned SDK version');
  }
  const instance: unknown = Reflect.construct(exported, []);
  return instance as SdkApiClient;
}

/**
 * The SDK reads `~/.genesyscloudjavascript/config` on construction and watches it for changes, which
 * could silently re-point a running process at another host or switch on its own request logging
 * (headers include the bearer token). Both are switched off here.
 */
function quietConfig(apiClient: SdkApiClient): void {
  apiClient.config.live_reload_config = false;
  apiClient.config.setConfigPath('');
  const sdkLogger = apiClient.config.logger;
  sdkLogger.log_level = 'none';
  sdkLogger.log_to_console = false;
  sdkLogger.log_file_path = '';
  sdkLogger.setLogger();
}

// The import above constructed the SDK's singleton, whose watcher would otherwise stay registered.
quietConfig(platformClient.ApiClient);

export function createSdkClients(endpoints: GenesysEndpoints, requestTimeoutMs: number): SdkClients {
  const apiClient = newApiClient();
  quietConfig(apiClient);
  if (endpoints.gateway !== undefined) {
    apiClient.setGateway(endpoints.gateway);
  } else if (endpoints.domain !== undefined) {
    apiClient.setEnvironment(endpoints.domain);
  }
  apiClient.setReturnExtendedResponses(true);
  apiClient.setPersistSettings(false);
  // The HTTP client closes the socket at the deadline; the retry policy's timeout is the backstop.
  apiClient.getHttpClient().setTimeout(requestTimeoutMs);
  return {
    apiClient,
    presence: new platformClient.PresenceApi(apiClient),
    users: new platformClient.UsersApi(apiClient),
    notifications: new platformClient.NotificationsApi(apiClient),
  };
}
