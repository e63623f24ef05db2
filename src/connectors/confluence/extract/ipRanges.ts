// Addresses that must not be reached through a non-site host: loopback, private, link-local, metadata services,
// and the IPv6 forms that embed or translate an IPv4 address (mapped, compatible, NAT64, 6to4, Teredo).
// Node's BlockList parses the addresses itself and matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against the IPv4
// rules, so a mapped public address passes and a mapped private one does not.
import { BlockList, isIP } from 'node:net';

const IPV4_SPECIAL: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches localhost on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

const IPV6_SPECIAL: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments, Teredo
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

const special = new BlockList();
for (const [net, prefix] of IPV4_SPECIAL) special.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of IPV6_SPECIAL) special.addSubnet(net, prefix, 'ipv6');

/** An IP literal without brackets ("127.0.0.1", "::1"), or undefined for a DNS name. */
export function ipFamily(host: string): 'ipv4' | 'ipv6' | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const v = isIP(bare);
  return v === 4 ? 'ipv4' : v === 6 ? 'ipv6' : undefined;
}

/** True for loopback, private, link-local, reserved and IPv4-embedding addresses (brackets allowed). */
export function isSpecialAddress(address: string): boolean {
  const family = ipFamily(address);
  if (!family) throw new Error(`not an IP address: ${JSON.stringify(address)}`);
  const bare = address.replace(/^\[|\]$/g, '');
  return special.check(bare, family);
}

/** Names that always mean this machine (RFC 6761), with or without the trailing root dot. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}
