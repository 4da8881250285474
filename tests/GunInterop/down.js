// With the cluster gone, every put and get is still answered — with an err, within the given milliseconds — and
// the err says what happened without internal details.
'use strict';
const { raw, check, unique, within, run, node } = require('./lib');
const [url, limitMs] = process.argv.slice(2);

run(async () => {
  const peer = await raw(url);
  const ids = [];
  for (let i = 0; i < 10; i++) {
    const soul = unique('down');
    peer.send({ '#': 'p' + soul, put: node(soul, Date.now(), { k: i }) });
    peer.send({ '#': 'g' + soul, get: { '#': soul + '/other' } });
    ids.push('p' + soul, 'g' + soul);
  }
  const sent = Date.now();
  for (const id of ids) {
    const reply = await within(Number(limitMs) - (Date.now() - sent), 'an answer to ' + id, peer.reply(id));
    check(typeof reply.err === 'string', id + ' is answered with an err: ' + JSON.stringify(reply));
    check(/^Error: The store (is unavailable|did not answer)/.test(reply.err), 'the err says the store is not answering: ' + reply.err);
    check(!/S127|Unable to connect|Exception|   at /.test(reply.err), 'no internals: ' + reply.err);
  }
  peer.close();
});
