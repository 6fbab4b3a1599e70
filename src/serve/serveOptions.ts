import { ConfigError } from '../errors.ts';

/** Hosts that only this machine can reach (the page is then also a secure context for getUserMedia). */
const LOOPBACK = /^(127(?:\.\d{1,3}){3}|::1|localhost)$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** `--port` as given on the command line: a whole number in 0..65535 (0 picks a free port). */
export function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isInteger(port) || port > 65535) throw new ConfigError('port', text, 'an integer in 0..65535 (0 picks a free port)');
  return port;
}

/** `--host`: non-empty, no scheme or port (those go elsewhere). */
export function checkHost(host: string): string {
  if (host === '' || /[/\s]/.test(host) || (/:/.test(host) && !/^[0-9a-fA-F:.]+$/.test(host))) {
    throw new ConfigError('host', host, 'an interface name or address such as 127.0.0.1, ::1 or 0.0.0.0 (no scheme, no port)');
  }
  return host;
}
