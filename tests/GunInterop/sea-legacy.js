// SEA's fallback formats (from before 2019) through the relay, judged as gun's relay judges them: a value
// 'SEA{"m":…,"s":…}' is accepted when "s" signs SHA-256 of the text JavaScript makes of the parsed "m" and either "m" is
// bound to where it is written ([soul, key, value, state]) or the write's state predates 2019-01-01 (SEA's
// shuffle_attack date). With a second argument "gun" it runs against gun's own relay, to show these expectations are
// gun's, leaving out the one case where gun's relay lets more through (marked below). Refused writes go to keys of
// their own or win HAM against what is stored: gun's relay says nothing to a write that loses HAM.
// usage: node sea-legacy.js <relay url> [gun]
'use strict';
const { raw, check, unique, run, Gun, node } = require('./lib');
require('gun/sea');
const SEA = Gun.SEA;
const { subtle } = require('crypto').webcrypto;
const url = process.argv[2];
const againstGun = process.argv[3] === 'gun';

const BEFORE_2019 = 1514764800000; // 2018-01-01

// What SEA's fallback hashes: TextEncoder.encode(S.parse(m)), i.e. String() of the parsed value.
const legacy = async (pair, m, opt) => {
  const parsed = (() => { try { return JSON.parse(m); } catch (e) { return m; } })();
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(typeof m === 'string' ? parsed : m));
  const key = await subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: pair.pub.split('.')[0], y: pair.pub.split('.')[1], d: pair.priv, ext: true },
    { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const sig = Buffer.from(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, digest));
  // Older still than base64: a string of one character per byte (SEA's "utf8" reading takes each one's low byte).
  const s = opt && opt.bytewise ? String.fromCharCode(...sig) : sig.toString('base64');
  return (opt && opt.bare ? '' : 'SEA') + JSON.stringify(Object.assign({ m, s }, (opt && opt.extra) || {}));
};

run(async () => {
  const alice = await SEA.pair(), mallory = await SEA.pair();
  const soul = '~' + alice.pub + '/' + unique('legacy').replace(/\W/g, '');
  const now = Date.now() + 1;
  const peer = await raw(url);
  let n = 0;
  const verdict = async (put, what) => {
    const id = 'legacy' + (++n) + Math.random().toString(36).slice(2, 6);
    peer.send({ '#': id, put });
    return peer.reply(id, what);
  };
  const accepted = async (put, what) => {
    const reply = await verdict(put, what);
    check(reply.ok && !reply.err, what + ': ' + JSON.stringify(reply));
  };
  const refused = async (put, what) => {
    const reply = await verdict(put, what);
    check(reply.err === 'Unverified data.', what + ': ' + JSON.stringify(reply));
  };

  // Unbound values ("m" is the value alone): only with a state from before 2019.
  await accepted(node(soul, BEFORE_2019, { name: await legacy(alice, 'Alice') }), 'an unbound legacy value with a 2018 state');
  await accepted(node(soul, BEFORE_2019, { bare: await legacy(alice, 'Alice', { bare: true }) }), 'the same without the SEA prefix');
  await accepted(node(soul, BEFORE_2019, { age: await legacy(alice, '42') }), 'a legacy number');
  await accepted(node(soul, BEFORE_2019, { obj: await legacy(alice, '{"a":1}') }), 'a legacy object (its text is "[object Object]")');
  await accepted(node(soul, BEFORE_2019, { bytes: await legacy(alice, 'Alice', { bytewise: true }) }), 'a signature as one character per byte');
  await refused(node(soul, now, { name: await legacy(alice, 'Alice') }), 'an unbound legacy value with a state from now');
  await refused(node(soul, BEFORE_2019, { alias: await legacy(mallory, 'Alice') }), "another user's legacy signature");
  const good = JSON.parse((await legacy(alice, 'Alice')).slice(3));
  await refused(node(soul, BEFORE_2019, { name: 'SEA' + JSON.stringify({ m: 'Mallory', s: good.s }) }), 'her signature on another value');
  await refused(node(soul, BEFORE_2019, { name: 'SEA{"m":"Alice"}' }), 'a legacy value without a signature');

  // Bound values ("m" is [soul, key, value, state]): at any state, but only where they were signed for.
  const bound = (key, value, state) => JSON.stringify([soul, key, value, state]);
  await accepted(node(soul, now, { city: await legacy(alice, bound('city', 'Paris', now)) }), 'a bound legacy value with a state from now');
  await refused(node(soul, now, { town: await legacy(alice, bound('city', 'Paris', now)) }), 'a bound legacy value replayed on another key');
  await refused(node(soul, now + 5000, { city: await legacy(alice, bound('city', 'Paris', now)) }), 'a bound legacy value replayed at another state');
  await refused(node('~' + alice.pub + '/elsewhere', now, { city: await legacy(alice, bound('city', 'Paris', now)) }), 'a bound legacy value replayed on another soul');

  // The owner's certificate still decides for a legacy value signed by someone else (gun's relay lets any signer
  // through, in today's format too).
  if (!againstGun) await refused(node(soul, BEFORE_2019, { name: await legacy(mallory, 'Alice', { extra: { '*': mallory.pub } }) }),
    "another user's legacy signature claiming to write as itself, without a certificate");

  // What was accepted is stored as sent, and a reader gets it back.
  const id = 'read' + Math.random().toString(36).slice(2, 6);
  peer.send({ '#': id, get: { '#': soul, '.': 'city' } });
  const read = await peer.reply(id, 'reading the bound value');
  check(read.put && read.put[soul] && typeof read.put[soul].city === 'string' && read.put[soul].city.startsWith('SEA{'),
    'the bound legacy value is stored as sent: ' + JSON.stringify(read));
  peer.close();
});
