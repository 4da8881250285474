// Hundreds of bad frames from several sockets; afterwards good clients still work and stored data is unchanged.
'use strict';
const { client, raw, once, put, check, unique, run } = require('./lib');
const url = process.argv[2];
const maxFrame = +process.argv[3], maxSouls = +process.argv[4];

run(async () => {
  const good = client(url);
  const soul = unique('barrage');
  await put(good.get(soul), { keep: 'me', n: 7 }, 'data written before the barrage');

  const t = Date.now();
  const bad = [
    '{not json', '[1,2', 'null', '42', '"text"', '[1, "two", null]', '{"#":"x","put":"nope"}',
    '{"put":{"' + soul + '":{"_":{"#":"' + soul + '",">":{"keep":' + (t + 1) + '}},"keep":[1,2]}}}',
    '{"put":{"' + soul + '":{"_":{"#":"' + soul + '",">":{"keep":"soon"}},"keep":"x"}}}',
    '{"put":{"' + soul + '":{"_":{"#":"elsewhere",">":{"keep":' + (t + 1) + '}},"keep":"x"}}}',
    '{"put":{"' + soul + '":{"_":{"#":"' + soul + '",">":{"keep":' + (t + 1) + '}},"keep":{"#":1}}}}',
    '{"put":{"' + soul + '":{"_":{"#":"' + soul + '",">":{"keep":' + (t + 1) + '}},"keep":{"a":1,"#":"x"}}}}',
    '{"put":{"' + soul + '":"not a node"}}', '{"put":{"":{"_":{"#":"",">":{}}}}}',
    '{"get":"nope"}', '{"get":{"#":42}}', '{"get":{"#":{"*":"bar"}}}', '{"@":"unknown","ok":1}',
    '{"dam":"?"}', '{"dam":"mob"}', '{}', '[]', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  ];
  const sockets = await Promise.all([1, 2, 3].map(() => raw(url)));
  let sent = 0;
  for (let round = 0; round < 15; round++)
    for (const [i, frame] of bad.entries()) { sockets[(round + i) % sockets.length].send(frame); sent++; }

  // Too many souls in one put: refused with err, nothing written.
  const many = {};
  for (let i = 0; i <= maxSouls; i++) many[soul + '/many' + i] = { _: { '#': soul + '/many' + i, '>': { v: t } }, v: i };
  sockets[0].send({ '#': 'many' + soul, put: many });
  check(/Too many souls/.test((await sockets[0].reply('many' + soul, 'too many souls')).err), 'too many souls is an error');

  // An oversized frame closes that connection only.
  const huge = await raw(url);
  huge.send({ '#': 'huge', put: { [soul]: { _: { '#': soul, '>': { keep: t + 2 } }, keep: 'x'.repeat(maxFrame + 10) } } });
  await huge.waitClosed();
  sent += 1 + 1;

  // Everyone else is still served, and nothing stored changed.
  for (const s of sockets) {
    s.send({ '#': 'alive' + sockets.indexOf(s), get: { '#': soul } });
    const reply = await s.reply('alive' + sockets.indexOf(s), 'socket still served');
    check(reply.put[soul].keep === 'me' && reply.put[soul].n === 7, 'data unchanged: ' + JSON.stringify(reply.put));
  }
  const fresh = client(url);
  const data = await once(fresh.get(soul), 'fresh client read');
  check(data.keep === 'me' && data.n === 7, 'a new client reads unchanged data');
  check((await once(fresh.get(soul + '/many0'))) === undefined, 'the refused put wrote nothing');
  await put(fresh.get(soul + '/after'), { ok: true }, 'a new write works');
  console.log('bad frames sent: ' + sent);
});
