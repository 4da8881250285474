// New nodes written while others ask for them: a watcher's get and a writer's first put of the same fresh souls race
// (on a relay that creates unwatched nodes without activating them, the two must never miss each other), and two
// writers race to create the same souls. Every put is acknowledged, the watcher sees every value (in its get's answer
// or in a push), HAM picks the later state of the two writers, and a fresh connection reads every node back.
'use strict';
const { raw, check, unique, run, node, within } = require('./lib');
const url = process.argv[2];

run(async () => {
  const watcher = await raw(url), writer = await raw(url), rival = await raw(url);
  const count = 300, now = Date.now();
  const watched = Array.from({ length: count }, () => unique('race'));
  const contested = Array.from({ length: count }, () => unique('race-two'));
  const expected = new Set(watched.map((soul, i) => soul + '=' + i));
  let allSeen;
  const everySeen = new Promise((resolve) => { allSeen = resolve; });
  watcher.onMessage((m) => {
    for (const [soul, n] of Object.entries(m.put || {})) if (n) expected.delete(soul + '=' + n.v);
    if (expected.size === 0) allSeen();
  });
  watched.forEach((soul, i) => {
    // Alternate which goes first, so both orders of arrival are tried.
    if (i % 2) watcher.send({ '#': 'g' + soul, get: { '#': soul } });
    writer.send({ '#': 'p' + soul, put: node(soul, now, { v: i }) });
    if (!(i % 2)) watcher.send({ '#': 'g' + soul, get: { '#': soul } });
  });
  contested.forEach((soul, i) => {
    writer.send({ '#': 'a' + soul, put: node(soul, now, { v: 1 }) });
    rival.send({ '#': 'b' + soul, put: node(soul, now + 1, { v: 2 }) });
  });
  let refused = 0;
  for (const soul of watched) if ((await writer.reply('p' + soul)).err) refused++;
  for (const soul of contested) {
    if ((await writer.reply('a' + soul)).err) refused++;
    if ((await rival.reply('b' + soul)).err) refused++;
  }
  check(refused === 0, refused + ' puts were refused');
  await within(20000, 'the watcher seeing every value', everySeen)
    .catch((e) => check(false, e.message + ': ' + expected.size + ' of ' + count + ' values never reached it'));

  const reader = await raw(url);
  let wrong = 0;
  [...watched, ...contested].forEach((soul) => reader.send({ '#': 'r' + soul, get: { '#': soul } }));
  for (const [i, soul] of watched.entries()) {
    const got = await reader.reply('r' + soul);
    if (!got.put || !got.put[soul] || got.put[soul].v !== i) wrong++;
  }
  for (const soul of contested) {
    const got = await reader.reply('r' + soul);
    if (!got.put || !got.put[soul] || got.put[soul].v !== 2) wrong++;
  }
  check(wrong === 0, wrong + ' of ' + 2 * count + ' nodes read back wrong');
  for (const peer of [watcher, writer, rival, reader]) peer.close();
});
