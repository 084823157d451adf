import { BlockList, isIP } from 'node:net';

/**
 * The admin token a development run (no JWT setting) makes for itself stays on the machine that
 * runs it: GraphiQL fills it in only for callers on a loopback address.
 */

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether a socket's remote address is a loopback address: 127.0.0.0/8, ::1, or 127.x mapped into
 * IPv6 (::ffff:127.0.0.1). Only the socket's own address counts: a forwarded header is the
 * client's word.
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const family = isIP(address);
  // BlockList checks an IPv4-mapped IPv6 address against the IPv4 rules.
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether listening on `host` keeps the gateway to this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || isLoopbackAddress(host);
}

/** What a development run listening beyond loopback tells the person who started it. */
export function exposedDevelopmentTokenWarning(host: string): string {
  return [
    '',
    `WARNING: HOST=${host} is not a loopback address, and no JWT_SECRET or JWT_JWKS_URL is set.`,
    "Anyone who can reach this port could otherwise take this run's admin token: GraphiQL fills it",
    'in only for browsers on this machine (loopback addresses); others get GraphiQL without a token.',
    'Set JWT_SECRET, JWT_ISSUER and JWT_AUDIENCE before others can reach the gateway.',
    '',
  ].join('\n');
}
