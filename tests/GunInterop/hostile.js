// Hostile input gets clear gun-style errors and stores nothing: whitespace souls, over-long souls and keys, states far
// in the future, and more future-state writes on one node than it may hold. Argument: the node's limit of pending writes.
'use strict';
const { raw, check, unique, run, node } = require('./lib');
const [url, pendingLimit] = process.argv.slice(2);
const internal = /S127|Unable to connect|Parameter '|Exception|   at /;

run(async () => {
  const peer = await raw(url);
  const now = Date.now();
  const refused = async (id, message, pattern, what) => {
    peer.send(Object.assign({ '#': id }, message));
    const reply = await peer.reply(id, what);
    check(typeof reply.err === 'string' && pattern.test(reply.err), what + ': ' + JSON.stringify(reply));
    check(!internal.test(reply.err), what + ' leaks internals: ' + reply.err);
    check(reply.ok === undefined, what + ' is not acknowledged');
  };
  const nothingAt = async (soul, what) => {
    const id = unique('g');
    peer.send({ '#': id, get: { '#': soul } });
    const reply = await peer.reply(id);
    check(!reply.put, what + ' stored nothing: ' + JSON.stringify(reply));
  };

  await refused('ws1', { get: { '#': '   ' } }, /Only whitespace/, 'a get of a whitespace soul');
  await refused('ws2', { put: node(' \t ', now, { a: 1 }) }, /Only whitespace/, 'a put to a whitespace soul');
  const long = unique('long') + 'x'.repeat(2000);
  await refused('long1', { get: { '#': long } }, /Longer than 1024/, 'a get of an over-long soul');
  await refused('long2', { put: node(long, now, { a: 1 }) }, /Longer than 1024/, 'a put to an over-long soul');
  const keyed = unique('key');
  await refused('long3', { put: node(keyed, now, { ['k'.repeat(2000)]: 1 }) }, /key longer than 1024/, 'a put with an over-long key');
  await nothingAt(keyed, 'the over-long key');

  const far = unique('far');
  await refused('far1', { put: Object.assign(node(far, now, { a: 'now' }), node(far + '/2', now + 24 * 3600 * 1000, { b: 'tomorrow' })) },
    /in the future/, 'a put with a state a day ahead');
  await nothingAt(far, 'the far-future put (its other soul)');

  // Future writes within the skew are held until their time, but only so many per node.
  const pending = unique('pending');
  const limit = Number(pendingLimit);
  for (let i = 0; i < limit; i++) {
    peer.send({ '#': 'f' + i, put: node(pending, now + 120000, { ['k' + i]: i }) });
    check((await peer.reply('f' + i)).ok, 'future write ' + i + ' within the limit is acknowledged');
  }
  await refused('f-over', { put: node(pending, now + 120000, { over: 1 }) }, /Too many future-state writes/, 'one future write over the limit');

  // The connection is still good.
  const fine = unique('fine');
  peer.send({ '#': 'fine', put: node(fine, now, { a: 'ok' }) });
  check((await peer.reply('fine')).ok, 'a good put after all that is acknowledged');
  peer.close();
});
