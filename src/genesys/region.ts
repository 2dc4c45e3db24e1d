import platformClient from 'purecloud-platform-client-v2';

/** Where the client sends API calls and token requests, and how the SDK is pointed there. */
export interface GenesysEndpoints {
  /** Base for `/api/v2/...` calls, e.g. `https://api.mypurecloud.ie`. */
  apiBase: string;
  /** `https://login.{domain}/oauth/token`, or `{apiUrl}/oauth/token` with an override. */
  tokenUrl: string;
  /** What operators call this environment in messages: the domain, or the override's host. */
  label: string;
  /** The domain for `setEnvironment`, when no override is set. */
  domain?: string;
  /** The SDK gateway for an override (`setEnvironment` would force https). */
  gateway?: {
    host: string;
    protocol: 'http' | 'https';
    port?: number;
    path_params_api?: string;
    path_params_login?: string;
  };
}

/**
 * The Genesys domain of `region` (a domain such as `mypurecloud.ie`, or an AWS-style name such as `eu-west-1`),
 * or undefined when the SDK's own table does not know it. Using the SDK's table means new regions arrive with
 * SDK upgrades instead of being copied here.
 */
export function genesysDomainOf(region: string): string | undefined {
  const hosts: Record<string, string> = platformClient.PureCloudRegionHosts;
  const cleaned = region
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^(api|login)\./, '')
    .replace(/\/+$/, '');
  if (Object.values(hosts).includes(cleaned)) return cleaned;
  return hosts[cleaned.replace(/-/g, '_')];
}

/** For configuration checks: why `region` is not a Genesys Cloud region, or undefined when it is one. */
export function genesysRegionProblem(region: string): string | undefined {
  return genesysDomainOf(region) === undefined
    ? `unknown Genesys Cloud region; use a domain or region name: ${knownGenesysRegions()}`
    : undefined;
}

/** Every region the SDK knows, as `eu-west-1 (mypurecloud.ie)`, for messages. */
function knownGenesysRegions(): string {
  const hosts: Record<string, string> = platformClient.PureCloudRegionHosts;
  return Object.keys(hosts)
    .map((name) => `${name.replace(/_/g, '-')} (${hosts[name]})`)
    .join(', ');
}

/** As genesysDomainOf, throwing a message that names the accepted forms for an unknown region. */
export function resolveGenesysDomain(region: string): string {
  const domain = genesysDomainOf(region);
  if (domain !== undefined) return domain;
  throw new Error(
    `Unknown Genesys Cloud region "${region}": use a domain such as mypurecloud.ie or a region name such as eu-west-1. Known regions: ${knownGenesysRegions()}`,
  );
}

/**
 * `apiUrl` overrides both the API and the login base (simulator, proxies); otherwise `region`
 * (default `mypurecloud.com`, Genesys's own default) decides.
 */
export function resolveGenesysEndpoints(options: { region?: string; apiUrl?: string }): GenesysEndpoints {
  if (options.apiUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.apiUrl);
    } catch {
      throw new Error(`Genesys apiUrl "${options.apiUrl}" is not a URL (expected e.g. http://127.0.0.1:8085)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`Genesys apiUrl "${options.apiUrl}" must use http or https`);
    }
    // A proxy may serve Genesys under a path prefix; the SDK gateway takes it as path params.
    const prefix = url.pathname.replace(/\/+$/, '');
    const base = `${url.origin}${prefix}`;
    return {
      apiBase: base,
      tokenUrl: `${base}/oauth/token`,
      label: url.host,
      gateway: {
        host: url.hostname,
        protocol: url.protocol === 'http:' ? 'http' : 'https',
        ...(url.port === '' ? {} : { port: Number(url.port) }),
        ...(prefix === '' ? {} : { path_params_api: prefix, path_params_login: prefix }),
      },
    };
  }
  const domain = resolveGenesysDomain(options.region ?? 'mypurecloud.com');
  return { apiBase: `https://api.${domain}`, tokenUrl: `https://login.${domain}/oauth/token`, label: domain, domain };
}
