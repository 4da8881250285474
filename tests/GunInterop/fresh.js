// Writes (or reads back) <count> new nodes <prefix>/0 .. <prefix>/<count-1>, each { v: 'value <i>' }, on one raw socket:
// "write" waits for every ack, "read" checks every node's value.
'use strict';
const { raw, check, run, node } = require('./lib');
const [url, prefix, count, mode] = process.argv.slice(2);

run(async () => {
  const peer = await raw(url);
  const souls = Array.from({ length: +count }, (_, i) => prefix + '/' + i);
  const now = Date.now();
  let wrong = 0;
  if (mode === 'write') {
    souls.forEach((soul, i) => peer.send({ '#': 'p' + soul, put: node(soul, now, { v: 'value ' + i }) }));
    for (const soul of souls) if ((await peer.reply('p' + soul)).err) wrong++;
    check(wrong === 0, wrong + ' of ' + count + ' puts were refused');
  } else {
    souls.forEach((soul) => peer.send({ '#': 'g' + soul, get: { '#': soul } }));
    for (const [i, soul] of souls.entries()) {
      const got = await peer.reply('g' + soul);
      if (!got.put || !got.put[soul] || got.put[soul].v !== 'value ' + i) wrong++;
    }
    check(wrong === 0, wrong + ' of ' + count + ' nodes read back wrong');
  }
  peer.close();
});
