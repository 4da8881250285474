// A subscriber's ack of a push reaches the original writer, also when they are on different gateways.
'use strict';
const { raw, check, unique, run } = require('./lib');
const [writerUrl, subscriberUrl] = process.argv.slice(2);

run(async () => {
  const writer = await raw(writerUrl), subscriber = await raw(subscriberUrl);
  const soul = unique('acks');
  subscriber.send({ '#': 'sub' + soul, get: { '#': soul } });
  await subscriber.reply('sub' + soul, 'subscribed (not found)');

  const t = Date.now();
  writer.send({ '#': 'w1' + soul, put: { [soul]: { _: { '#': soul, '>': { v: t } }, v: 'hello' } } });
  const stored = await writer.wait((m) => m['@'] === 'w1' + soul && m.ok === 1, 'the relay ack');
  check(stored.ok === 1, 'the relay acks once stored');

  const push = await subscriber.wait((m) => !m['@'] && m.put && m.put[soul], 'the push');
  subscriber.send({ '#': 'a1' + soul, '@': push['#'], ok: 2 });
  const routed = await writer.wait((m) => m['@'] === 'w1' + soul && m.ok === 2, 'the subscriber ack routed back');
  check(routed.ok === 2, 'the writer gets the subscriber ack as an ack of its put');
  writer.close(); subscriber.close();
});
