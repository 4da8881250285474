// A hostile barrage against a relay (RELAY_URL): many connections sending whitespace and over-long souls, states far
// in the future, forged SEA writes, invalid graphs, gets of thousands of random souls, and floods past the rate
// limit; then every socket closes. Prints how many frames were sent and how the relay answered.
'use strict';
const path = require('path');
const WS = require(require.resolve('ws', { paths: [path.dirname(require.resolve('gun'))] }));
const url = process.env.RELAY_URL.replace(/^http/, 'ws');
const connections = +(process.argv[2] || 100), framesEach = +(process.argv[3] || 30);

const open = () => new Promise((resolve) => {
  const socket = new WS(url);
  const stats = { replies: 0, errs: 0, closed: false };
  socket.on('message', (data) => { stats.replies++; if (/"err"/.test(data.toString())) stats.errs++; });
  socket.on('close', () => { stats.closed = true; });
  socket.on('error', () => { stats.closed = true; });
  socket.on('open', () => resolve({ socket, stats }));
  setTimeout(() => resolve({ socket, stats }), 10000);
});
const node = (soul, state, fields) => ({ [soul]: Object.assign({ _: { '#': soul, '>': Object.fromEntries(Object.keys(fields).map((k) => [k, state])) } }, fields) });
const rand = () => Math.random().toString(36).slice(2);

(async () => {
  const peers = [];
  for (let i = 0; i < connections; i++) peers.push(await open());
  const now = Date.now();
  let sent = 0;
  for (const [i, { socket }] of peers.entries()) {
    if (socket.readyState !== WS.OPEN) continue;
    for (let f = 0; f < framesEach; f++) {
      const kind = (i + f) % 8;
      let frame;
      if (kind === 0) frame = { '#': rand(), get: { '#': '   ' } };
      else if (kind === 1) frame = { '#': rand(), put: node('x'.repeat(3000) + rand(), now, { a: 1 }) };
      else if (kind === 2) frame = { '#': rand(), put: node('far/' + rand(), now + 7 * 24 * 3600 * 1000, { a: 'next week' }) };
      else if (kind === 3) frame = { '#': rand(), put: node('~forged.key/' + rand(), now, { a: 'unsigned' }) };
      else if (kind === 4) frame = { '#': rand(), put: { [rand()]: 'not a node' } };
      else if (kind === 5) frame = { '#': rand(), get: { '#': 'random/' + rand() } };
      else if (kind === 6) frame = '{not json';
      else frame = { '#': rand(), put: node('hostile/' + rand(), now, { junk: 'y'.repeat(200) }) };
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      sent++;
    }
  }
  // A flood on one connection: far past its burst, of messages that cost nothing else.
  const flooder = peers[0].socket;
  if (flooder.readyState === WS.OPEN) {
    const batch = JSON.stringify(Array.from({ length: 1000 }, () => ({ '#': rand() })));
    for (let i = 0; i < 80 && flooder.readyState === WS.OPEN; i++) { flooder.send(batch); sent += 1000; }
  }
  // Let the relay answer what it will, then close everything.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const replies = peers.reduce((n, p) => n + p.stats.replies, 0), errs = peers.reduce((n, p) => n + p.stats.errs, 0);
  const closedByRelay = peers.filter((p) => p.stats.closed).length;
  for (const { socket } of peers) socket.terminate();
  console.log(`hostile: ${peers.length} connections, ${sent} frames sent, ${replies} replies (${errs} err), ${closedByRelay} connections closed by the relay`);
  process.exit(0);
})();
