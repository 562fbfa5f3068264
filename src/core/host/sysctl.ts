/**
 * The sysctl key of an interface's IPv6 setting. sysctl reads dots as separators, so an interface
 * name with a dot (a VLAN such as `eth0.100`) needs the slash form.
 */
export function ipv6SysctlKey(iface: string, setting: string): string {
  return iface.includes('.') ? `net/ipv6/conf/${iface}/${setting}` : `net.ipv6.conf.${iface}.${setting}`;
}

/** The command that turns NDP proxying on for an interface. */
export function proxyNdpCommand(iface: string): string {
  return `sysctl -w ${ipv6SysctlKey(iface, 'proxy_ndp')}=1`;
}
