// @ts-check
// Just enough of Engine.IO v4 / Socket.IO v5 over a raw WebSocket for k6, which
// has no Socket.IO client. Packets are text frames: an Engine.IO type digit, then
// for messages ("4") a Socket.IO type digit and a JSON payload:
//   "0{...}" open (handshake)   "2" ping -> answer "3" pong   "1" close
//   "40{...}" connect (we send the auth payload; the server answers with its sid)
//   "44{...}" connect_error     "42[name, payload]" event     "41" disconnect

/** The path a Socket.IO server listens on, for a WebSocket-only client. */
export const SOCKET_PATH = '/socket.io/?EIO=4&transport=websocket';

/**
 * ws:// or wss:// for an http:// or https:// base URL.
 * @param {string} baseUrl
 */
export function socketUrl(baseUrl) {
  return baseUrl.replace(/^http/, 'ws') + SOCKET_PATH;
}

/**
 * The CONNECT packet for the default namespace with an auth payload.
 * @param {object} auth
 */
export function connectPacket(auth) {
  return '40' + JSON.stringify(auth);
}

/**
 * What a text frame means.
 * @typedef {{ kind: 'open' | 'ping' | 'close' | 'connected' | 'connect_error' | 'disconnect' | 'other', payload?: any }
 *   | { kind: 'event', name: string, payload: any }} Packet
 */

/**
 * @param {string} text
 * @returns {Packet}
 */
export function parsePacket(text) {
  if (text === '2') return { kind: 'ping' };
  if (text === '1') return { kind: 'close' };
  if (text.charAt(0) === '0') return { kind: 'open', payload: parseJson(text.slice(1)) };
  if (text.slice(0, 2) === '40') return { kind: 'connected', payload: parseJson(text.slice(2)) };
  if (text.slice(0, 2) === '44') {
    return { kind: 'connect_error', payload: parseJson(text.slice(2)) };
  }
  if (text.slice(0, 2) === '41') return { kind: 'disconnect' };
  if (text.slice(0, 2) === '42') {
    // An event may carry an ack id between the type and the array: "42<id>[...]".
    const args = parseJson(text.slice(text.indexOf('[')));
    if (Array.isArray(args) && typeof args[0] === 'string') {
      return { kind: 'event', name: args[0], payload: args[1] };
    }
  }
  return { kind: 'other' };
}

/**
 * @param {string} text
 * @returns {any}
 */
function parseJson(text) {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch (e) {
    return null;
  }
}
