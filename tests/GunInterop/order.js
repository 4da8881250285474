// One connection, one order: a get sent after a put on the same socket sees it, and of several messages with one id
// the first wins. Everything is sent at once (pipelined), many souls side by side, as a busy app would.
'use strict';
const { raw, check, unique, run, node } = require('./lib');
const url = process.argv[2];

run(async () => {
  const peer = await raw(url);
  const rounds = 60;
  const souls = Array.from({ length: rounds }, () => unique('order'));
  const now = Date.now();
  souls.forEach((soul, i) => {
    peer.send({ '#': 'p' + soul, put: node(soul, now, { v: i }) });
    peer.send({ '#': 'g' + soul, get: { '#': soul } });
    // The same id twice: the first (v = 'first') is the one applied, though the second's state is newer.
    peer.send({ '#': 'd' + soul, put: node(soul + '/dup', now, { v: 'first' }) });
    peer.send({ '#': 'd' + soul, put: node(soul + '/dup', now + 1, { v: 'second' }) });
    peer.send({ '#': 'h' + soul, get: { '#': soul + '/dup' } });
  });
  let missed = 0, wrongDuplicate = 0;
  for (const [i, soul] of souls.entries()) {
    const got = await peer.reply('g' + soul);
    if (!got.put || !got.put[soul] || got.put[soul].v !== i) missed++;
    const dup = await peer.reply('h' + soul);
    if (!dup.put || !dup.put[soul + '/dup'] || dup.put[soul + '/dup'].v !== 'first') wrongDuplicate++;
  }
  check(missed === 0, missed + ' of ' + rounds + ' gets did not see the put sent before them on the same socket');
  check(wrongDuplicate === 0, wrongDuplicate + ' of ' + rounds + ' duplicate ids kept another message than the first');
  peer.close();
});
