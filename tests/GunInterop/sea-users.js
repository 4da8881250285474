// SEA through the relay: real users (gun/sea: create, auth, put, certify) write and read their signed data, and
// forged frames are refused with "Unverified data." (or SEA's own words) while storing nothing.
'use strict';
const { client, raw, once, check, unique, within, run, Gun, node } = require('./lib');
require('gun/sea');
const SEA = Gun.SEA;
const url = process.argv[2];

const STEP = 30000;
const acked = (chain, value, opt) => within(STEP, 'put ack', new Promise((resolve, reject) =>
  chain.put(value, (ack) => (ack.err ? reject(new Error('put refused: ' + ack.err)) : resolve(ack)), opt)));
const signUp = async (gun, alias) => {
  const user = gun.user();
  await within(STEP, 'create ' + alias, new Promise((resolve, reject) => user.create(alias, 'correct horse battery', (ack) => (ack.err ? reject(new Error(ack.err)) : resolve()))));
  const pair = await within(STEP, 'auth ' + alias, new Promise((resolve, reject) =>
    user.auth(alias, 'correct horse battery', (ack) => (ack.err ? reject(new Error(ack.err)) : resolve(ack.sea)))));
  check(pair && pair.pub && pair.priv, 'auth gives the key pair');
  return { user, pair };
};
// A value as SEA stores it: {":": value, "~": signature of {#, ., :, >}}, plus a certificate and its holder when given.
const signed = async (soul, key, value, state, pair, extra) => {
  const sig = await SEA.sign({ '#': soul, '.': key, ':': value, '>': state }, pair, null, { raw: 1 });
  return JSON.stringify(Object.assign({ ':': value, '~': sig.s }, extra || {}));
};

run(async () => {
  const { user: alice, pair } = await signUp(client(url), unique('alice').replace(/\W/g, ''));
  const pub = pair.pub, profile = '~' + pub + '/profile';
  await acked(alice.get('profile').get('name'), 'Alice');

  const peer = await raw(url);
  let n = 0;
  const refused = async (put, pattern, what) => {
    const id = 'forge' + (++n);
    peer.send({ '#': id, put });
    const reply = await peer.reply(id, what);
    check(typeof reply.err === 'string' && pattern.test(reply.err), what + ': ' + JSON.stringify(reply));
  };
  const accepted = async (put, what) => {
    const id = 'good' + (++n);
    peer.send({ '#': id, put });
    const reply = await peer.reply(id, what);
    check(reply.ok && !reply.err, what + ': ' + JSON.stringify(reply));
  };
  const now = Date.now() + 1;
  const mallory = await SEA.pair();

  await refused(node(profile, now, { name: 'Mallory' }), /^Unverified data\.$/, 'an unsigned overwrite of her name');
  await refused(node(profile, now, { name: JSON.stringify({ ':': 'Mallory', '~': Buffer.alloc(64, 7).toString('base64') }) }), /^Unverified data\.$/, 'a bad signature');
  await refused(node(profile, now, { name: await signed(profile, 'name', 'Mallory', now, mallory) }), /^Unverified data\.$/, "another user's signature");
  await refused(node(profile, now, { name: await signed(profile, 'name', 'Mallory', now, mallory, { '*': mallory.pub }) }), /^Unverified data\.$/,
    "another user's signature claiming to write as itself, without a certificate");
  await refused(node(profile, now, { nick: await signed(profile, 'name', 'Alice', now, pair) }), /^Unverified data\.$/, 'her own signature replayed on another key');
  await refused(node('~' + pub, now, { pub: mallory.pub }), /^Account not same!$/, "a pub that is not the account's");
  await refused(node('~@alice-' + n, now, { ['~' + mallory.pub]: { '#': '~' + pub } }), /^Alias not same!$/, 'an alias entry pointing elsewhere');
  // A forged message with one good and one bad soul stores neither.
  const side = unique('side');
  await refused(Object.assign(node(side, now, { a: 'plain' }), node(profile, now, { name: 'Mallory' })), /^Unverified data\.$/, 'a mixed message');
  const sideId = 'side-get';
  peer.send({ '#': sideId, get: { '#': side } });
  check(!(await peer.reply(sideId)).put, 'the good soul of a refused message is not stored');

  // Her data is intact for any reader, who verifies it too.
  const name = await once(client(url).user(pub).get('profile').get('name'), 'reading her name');
  check(name === 'Alice', 'a fresh reader sees her signed name: ' + JSON.stringify(name));

  // Certificates: Alice lets Bob write in her inbox.
  const gunOfBob = client(url);
  const { pair: bobPair } = await signUp(gunOfBob, unique('bob').replace(/\W/g, ''));
  const policy = { '#': { '*': 'inbox' } };
  const cert = await SEA.certify(bobPair.pub, policy, pair, null, { raw: 1 });
  const inbox = '~' + pub + '/inbox';
  await acked(gunOfBob.get('~' + pub).get('inbox').get('from-bob'), 'hello', { opt: { cert: 'SEA' + JSON.stringify(cert) } });
  const later = Date.now() + 1;
  const by = (c) => ({ '+': c, '*': bobPair.pub });
  await accepted(node(inbox, later, { second: await signed(inbox, 'second', 'hi', later, bobPair, by(cert)) }), 'a certified write by frame');
  await refused(node('~' + pub + '/outbox', later, { x: await signed('~' + pub + '/outbox', 'x', 'hi', later, bobPair, by(cert)) }),
    /^Certificate verification fail\.$/, 'a certified write outside the policy');
  await refused(node(inbox, later, { x: await signed(inbox, 'x', 'hi', later, mallory, { '+': cert, '*': mallory.pub }) }),
    /^Certificate verification fail\.$/, "someone else using Bob's certificate");
  const expired = await SEA.certify(bobPair.pub, policy, pair, null, { raw: 1, expiry: Date.now() - 1000 });
  await refused(node(inbox, later, { x: await signed(inbox, 'x', 'hi', later, bobPair, by(expired)) }), /^Certificate expired\.$/, 'an expired certificate');
  const revocable = await SEA.certify(bobPair.pub, policy, pair, null, { raw: 1, block: 'blocked' });
  await accepted(node(inbox, later, { third: await signed(inbox, 'third', 'hi', later, bobPair, by(revocable)) }), 'a revocable certificate before revocation');
  await acked(alice.get('blocked').get(bobPair.pub), true);
  const after = Date.now() + 1;
  await refused(node(inbox, after, { fourth: await signed(inbox, 'fourth', 'hi', after, bobPair, by(revocable)) }), /^Certificant .* blocked\.$/, 'a revoked certificate');

  const mail = await once(client(url).get(inbox).get('from-bob'), 'reading her inbox');
  check(mail === 'hello', 'the certified message is stored: ' + JSON.stringify(mail));
  peer.close();
});
