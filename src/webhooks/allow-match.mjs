// @ts-check
// Matching against a parsed `--webhook-allow` list (see allow-list.ts), shared by the API thread
// and the delivery worker, which re-checks every address just before it connects. Plain JavaScript
// so the worker can load it from src/ and from dist/ alike.
import { lookup } from 'node:dns';
import { isIP } from 'node:net';

/** @typedef {{ names: string[], suffixes: string[], addresses: import('node:net').BlockList }} AllowMatch */

/** @param {AllowMatch} list @param {string} address */
export function addressAllowed(list, address) {
  const family = isIP(address);
  return family !== 0 && list.addresses.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** @param {AllowMatch} list @param {string} host */
export function nameListed(list, host) {
  const name = host.toLowerCase().replace(/\.$/, '');
  return list.names.includes(name) || list.suffixes.some((s) => name.endsWith(s));
}

/**
 * A `lookup` for sockets (net.connect's option): a listed name resolves as usual; any other name
 * must resolve to allowed addresses only, else the connection fails before it is attempted.
 * @param {AllowMatch} list
 * @returns {import('node:net').LookupFunction}
 */
export function guardedLookup(list) {
  return (hostname, options, callback) => {
    lookup(hostname, options, (/** @type {NodeJS.ErrnoException | null} */ err, /** @type {any} */ result, /** @type {number | undefined} */ family) => {
      if (err || nameListed(list, hostname)) return callback(err, result, family);
      const addresses = Array.isArray(result) ? result.map((/** @type {{ address: string }} */ a) => a.address) : [result];
      const refused = addresses.find((a) => !addressAllowed(list, a));
      if (refused === undefined) return callback(null, result, family);
      const e = /** @type {NodeJS.ErrnoException} */ (new Error(`${hostname} resolved to ${refused}, which --webhook-allow does not allow; not connected`));
      e.code = 'EWEBHOOKALLOW';
      callback(e, result, family);
    });
  };
}
