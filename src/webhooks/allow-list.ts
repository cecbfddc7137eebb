// `--webhook-allow`: which webhook targets a shared instance may reach, so tenants cannot use the
// simulator to probe its own network. Entries are host names (`receiver`, `*.ci.example`), IP
// addresses and CIDR ranges; names listed are trusted whatever they resolve to, every other host is
// judged by the addresses it resolves to (when an endpoint is saved, and again by the delivery
// worker just before it connects, since DNS may have changed). Unset: any URL, as before.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { addressAllowed, nameListed } from './allow-match.mjs';

export interface WebhookAllowList {
  /** The entries as given (error messages name them). */
  readonly entries: string[];
  /** Exact host names, lower case. */
  readonly names: string[];
  /** `*.example.com` entries, kept as `.example.com`. */
  readonly suffixes: string[];
  /** Allowed addresses and ranges (a BlockList used as an allow list; it is cloneable to the worker). */
  readonly addresses: BlockList;
}

const NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Parses the comma-separated entries; throws with the first bad one. */
export function parseWebhookAllow(text: string | string[]): WebhookAllowList {
  const entries = (Array.isArray(text) ? text : text.split(',')).map((e) => e.trim()).filter(Boolean);
  const list: WebhookAllowList = { entries, names: [], suffixes: [], addresses: new BlockList() };
  for (const entry of entries) {
    const slash = entry.indexOf('/');
    const address = slash === -1 ? entry : entry.slice(0, slash);
    const family = isIP(unbracket(address));
    if (family !== 0) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (slash === -1) list.addresses.addAddress(unbracket(address), type);
      else {
        const prefix = Number(entry.slice(slash + 1));
        if (!/^\d+$/.test(entry.slice(slash + 1)) || prefix > (family === 4 ? 32 : 128)) throw new Error(`--webhook-allow: "${entry}" has an invalid prefix length`);
        list.addresses.addSubnet(unbracket(address), prefix, type);
      }
    } else if (slash === -1 && NAME.test(entry.toLowerCase())) {
      if (entry.startsWith('*.')) list.suffixes.push(entry.slice(1).toLowerCase());
      else list.names.push(entry.toLowerCase());
    } else {
      throw new Error(`--webhook-allow: "${entry}" is neither a host name, an IP address nor a CIDR range (like 10.0.0.0/8)`);
    }
  }
  if (entries.length === 0) throw new Error('--webhook-allow needs at least one host name, address or CIDR range');
  return list;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function hostOf(url: string): string | undefined {
  try {
    return unbracket(new URL(url).hostname);
  } catch {
    return undefined; // Malformed URLs are refused by the URL check itself.
  }
}

const describeList = (list: WebhookAllowList) => `--webhook-allow (${list.entries.join(', ')})`;

/**
 * Judges a URL without DNS: undefined when allowed, else the refusal. A host that is neither an
 * address nor listed is refused here (start-up flags: list it); the API resolves it instead.
 */
export function refusalWithoutDns(list: WebhookAllowList, url: string): string | undefined {
  const host = hostOf(url);
  if (host === undefined || nameListed(list, host)) return undefined;
  if (isIP(host) !== 0) return addressAllowed(list, host) ? undefined : `The webhook URL's address ${host} is not allowed by ${describeList(list)}.`;
  return `The webhook URL's host ${host} is not listed in ${describeList(list)}.`;
}

/** Why `url` may not be a webhook target, or undefined: an unlisted name must resolve to allowed addresses only. */
export async function refusalOf(list: WebhookAllowList, url: string): Promise<string | undefined> {
  const host = hostOf(url);
  if (host === undefined || isIP(host) !== 0 || nameListed(list, host)) return refusalWithoutDns(list, url);
  let found: Array<{ address: string }>;
  try {
    found = await lookup(host, { all: true });
  } catch {
    return `The webhook URL's host ${host} could not be resolved, so ${describeList(list)} cannot allow it.`;
  }
  const refused = found.find((a) => !addressAllowed(list, a.address));
  return refused ? `The webhook URL's host ${host} resolves to ${refused.address}, which is not allowed by ${describeList(list)}.` : undefined;
}

const parsed = new WeakMap<object, WebhookAllowList>();

/** The parsed list of a configuration (parsed once), or undefined when none is set. */
export function allowListOf(config: { webhookAllow?: string[] }): WebhookAllowList | undefined {
  if (!config.webhookAllow) return undefined;
  let list = parsed.get(config);
  if (!list) parsed.set(config, (list = parseWebhookAllow(config.webhookAllow)));
  return list;
}
