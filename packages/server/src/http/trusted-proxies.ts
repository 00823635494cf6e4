import { BlockList, isIP } from 'node:net';

/**
 * TRUST_PROXY: which peers are reverse proxies whose X-Forwarded-For names the client.
 * Fastify uses `isTrusted` for request.ip; the connection limits use `clientAddress` for
 * WebSocket upgrades, which never reach Fastify. Both follow the same rule (proxy-addr's):
 * walk from the socket's peer leftwards through X-Forwarded-For while the hop is trusted;
 * the first untrusted address is the client. A proxy appends what it saw, so a client
 * cannot pose as someone else by sending the header itself.
 */
export interface TrustedProxies {
  readonly any: boolean;
  isTrusted(address: string): boolean;
  clientAddress(peer: string, forwardedFor: string | string[] | undefined): string;
}

const NAMED: Record<string, Array<[string, number, 'ipv4' | 'ipv6']>> = {
  loopback: [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']],
  linklocal: [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']],
  uniquelocal: [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['fc00::', 7, 'ipv6']],
};

/** `::ffff:10.0.0.1` (an IPv4 client of a dual-stack listener) is 10.0.0.1. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** `entries` were validated by config.ts. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const named = NAMED[entry.toLowerCase()];
    if (named) {
      for (const [network, bits, family] of named) list.addSubnet(network, bits, family);
      continue;
    }
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  const any = entries.length > 0;
  const isTrusted = (address: string) => {
    if (!any) return false;
    const plain = normalizeAddress(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
  return {
    any,
    isTrusted,
    clientAddress(peer, forwardedFor) {
      let client = normalizeAddress(peer);
      if (!isTrusted(client) || forwardedFor === undefined) return client;
      const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
        .split(',')
        .map((hop) => hop.trim())
        .filter(Boolean);
      for (let i = hops.length - 1; i >= 0; i--) {
        client = normalizeAddress(hops[i]!);
        if (!isTrusted(client)) break;
      }
      return client;
    },
  };
}
