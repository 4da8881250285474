// HAM on the wire: stale writes lose, equal states go to the larger JSON text, identical values change
// nothing, a future-state write is acknowledged and applied when its time comes; invalid graphs get err.
'use strict';
const { raw, check, unique, run, node } = require('./lib');
const url = process.argv[2];

run(async () => {
  const writer = await raw(url), watcher = await raw(url);
  const soul = unique('ham');
  const t = Date.now() - 1000;

  writer.send({ '#': 'p1' + soul, put: node(soul, t, { a: 'hello' }) });
  check((await writer.reply('p1' + soul)).ok, 'first write acked');

  watcher.send({ '#': 'g1' + soul, get: { '#': soul } });
  check((await watcher.reply('g1' + soul)).put[soul].a === 'hello', 'get returns the value');

  writer.send({ '#': 'p2' + soul, put: node(soul, t - 1, { a: 'older' }) });
  check((await writer.reply('p2' + soul)).ok, 'a stale write is acknowledged');
  writer.send({ '#': 'p3' + soul, put: node(soul, t, { a: 'hellp' }) });
  check((await writer.reply('p3' + soul)).ok, 'a tie is acknowledged');
  const tie = await watcher.wait((m) => !m['@'] && m.put && m.put[soul] && m.put[soul].a !== undefined, 'push of the tie winner');
  check(tie.put[soul].a === 'hellp', 'equal states: the larger JSON text wins and is pushed: ' + JSON.stringify(tie));

  writer.send({ '#': 'p4' + soul, put: node(soul, t, { a: 'hello' }) });
  check((await writer.reply('p4' + soul)).ok, 'a losing tie is acknowledged');
  watcher.send({ '#': 'g2' + soul, get: { '#': soul, '.': 'a' } });
  check((await watcher.reply('g2' + soul)).put[soul].a === 'hellp', 'stale and losing writes changed nothing');

  const future = Date.now() + 3000;
  writer.send({ '#': 'p5' + soul, put: node(soul, future, { d: 'future' }) });
  check((await writer.reply('p5' + soul)).ok, 'a future write is acknowledged once stored');
  watcher.send({ '#': 'g3' + soul, get: { '#': soul, '.': 'd' } });
  const early = await watcher.reply('g3' + soul);
  // Only a reply that provably came back before the write's time says anything about early visibility.
  if (Date.now() < future - 100) check(early.put === undefined, 'a future write is not visible before its time');
  const applied = await watcher.wait((m) => !m['@'] && m.put && m.put[soul] && m.put[soul].d === 'future', 'future write applied');
  check(Date.now() >= future - 50, 'the future write was applied at its state, not before');
  check(applied.put[soul]._['>'].d === future, 'with its own state');

  writer.send({ '#': 'p6' + soul, put: { [soul]: { _: { '#': soul }, a: 'x' } } });
  check(/no state/.test((await writer.reply('p6' + soul)).err), 'a node without states is refused');
  writer.send({ '#': 'p7' + soul, put: node(soul, t + 5, { a: { nested: 1 } }) });
  check(/bad object/.test((await writer.reply('p7' + soul)).err), 'a nested object is refused');
  writer.send({ '#': 'p8' + soul, put: { [soul]: { _: { '#': 'other', '>': { a: t } }, a: 'x' } } });
  check(/soul not same/.test((await writer.reply('p8' + soul)).err), 'a mismatched soul is refused');
  watcher.send({ '#': 'g4' + soul, get: { '#': soul, '.': 'a' } });
  check((await watcher.reply('g4' + soul)).put[soul].a === 'hellp', 'refused writes changed nothing');

  // The same message id twice is processed once: the second gets no reply.
  writer.send({ '#': 'g5' + soul, get: { '#': soul } });
  await writer.reply('g5' + soul);
  writer.send({ '#': 'g5' + soul, get: { '#': soul } });
  writer.send({ '#': 'g6' + soul, get: { '#': soul } });
  await writer.reply('g6' + soul);
  const replies = await writer.wait(() => false, 'nothing', 300).catch(() => null);
  check(replies === null, 'no extra reply');
  writer.close(); watcher.close();
});
