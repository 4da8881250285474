// Limits a public relay needs: connections per address (the one over is closed with a reason, and a place freed is
// usable again), and messages per second per connection (a flood gets a dam error and is closed; others go on).
// Arguments: the relay's per-address limit and its burst.
'use strict';
const { raw, check, unique, run } = require('./lib');
const [url, perAddress, burst] = process.argv.slice(2).map((a, i) => (i === 0 ? a : Number(a)));

run(async () => {
  const peers = [];
  for (let i = 0; i < perAddress; i++) peers.push(await raw(url));
  for (const [i, peer] of peers.entries()) {
    peer.send({ '#': 'hi' + i, get: { '#': unique('limits') } });
    check((await peer.reply('hi' + i)) !== null, 'connection ' + i + ' within the limit works');
  }
  const over = await raw(url);
  await over.waitClosed();
  check(over.closeCode === 1008 && /Too many connections from one address/.test(over.closeReason),
    'the connection over the limit is closed with a reason: ' + over.closeCode + ' ' + over.closeReason);

  // A flood: far more than the burst at once, in one frame, of messages that cost the relay nothing else (so how
  // fast it gets through them does not matter).
  const flooder = peers.pop();
  const frame = Array.from({ length: burst * 5 }, (_, i) => ({ '#': unique('flood') + i }));
  flooder.send(JSON.stringify(frame));
  const said = await flooder.wait((m) => m.dam === '!' && /Too many messages/.test(m.err || ''), 'the flood is told why');
  check(said, 'a dam error names the rate limit');
  await flooder.waitClosed();

  // Its place is free again, and the other connections were not touched.
  const again = await raw(url);
  again.send({ '#': 'again', get: { '#': unique('limits') } });
  check((await again.reply('again')) !== null, 'a new connection works once a place is free');
  peers[0].send({ '#': 'still', get: { '#': unique('limits') } });
  check((await peers[0].reply('still')) !== null, 'the other connections still work');
  for (const peer of [...peers, again]) peer.close();
});
