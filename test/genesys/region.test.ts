import { describe, expect, it } from 'vitest';
import { resolveGenesysDomain, resolveGenesysEndpoints } from '../../src/genesys/region.js';

describe('resolveGenesysDomain', () => {
  it.each([
    ['mypurecloud.ie', 'mypurecloud.ie'],
    ['eu-west-1', 'mypurecloud.ie'],
    ['eu_west_1', 'mypurecloud.ie'],
    ['us-east-1', 'mypurecloud.com'],
    ['us-west-2', 'usw2.pure.cloud'],
    ['ca-central-1', 'cac1.pure.cloud'],
    ['us-east-2', 'use2.us-gov-pure.cloud'],
    ['ap-southeast-2', 'mypurecloud.com.au'],
    ['usw2.pure.cloud', 'usw2.pure.cloud'],
    ['  EU-WEST-1 ', 'mypurecloud.ie'],
    ['https://api.mypurecloud.de/', 'mypurecloud.de'],
    ['login.mypurecloud.jp', 'mypurecloud.jp'],
  ])('%s → %s', (region, domain) => {
    expect(resolveGenesysDomain(region)).toBe(domain);
  });

  it.each(['eu-west-9', 'mars-1', 'example.com', ''])(
    'rejects %j with a message naming the accepted forms',
    (region) => {
      expect(() => resolveGenesysDomain(region)).toThrow(
        /Unknown Genesys Cloud region .*eu-west-1 \(mypurecloud\.ie\)/,
      );
    },
  );
});

describe('resolveGenesysEndpoints', () => {
  it('builds API and login URLs from the domain', () => {
    expect(resolveGenesysEndpoints({ region: 'eu-west-1' })).toEqual({
      apiBase: 'https://api.mypurecloud.ie',
      tokenUrl: 'https://login.mypurecloud.ie/oauth/token',
      label: 'mypurecloud.ie',
      domain: 'mypurecloud.ie',
    });
  });

  it('defaults to mypurecloud.com', () => {
    expect(resolveGenesysEndpoints({}).tokenUrl).toBe('https://login.mypurecloud.com/oauth/token');
  });

  it('lets apiUrl override API and login base with an http gateway', () => {
    expect(resolveGenesysEndpoints({ region: 'eu-west-1', apiUrl: 'http://127.0.0.1:8085/' })).toEqual({
      apiBase: 'http://127.0.0.1:8085',
      tokenUrl: 'http://127.0.0.1:8085/oauth/token',
      label: '127.0.0.1:8085',
      gateway: { host: '127.0.0.1', protocol: 'http', port: 8085 },
    });
  });

  it('keeps a proxy path prefix for API and login', () => {
    expect(resolveGenesysEndpoints({ apiUrl: 'https://proxy.example.com/genesys/' })).toMatchObject({
      apiBase: 'https://proxy.example.com/genesys',
      tokenUrl: 'https://proxy.example.com/genesys/oauth/token',
      gateway: {
        host: 'proxy.example.com',
        protocol: 'https',
        path_params_api: '/genesys',
        path_params_login: '/genesys',
      },
    });
  });

  it('rejects an apiUrl that is not http(s)', () => {
    expect(() => resolveGenesysEndpoints({ apiUrl: 'ftp://x' })).toThrow(/must use http or https/);
    expect(() => resolveGenesysEndpoints({ apiUrl: 'not a url' })).toThrow(/is not a URL/);
  });
});
