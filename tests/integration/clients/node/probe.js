#!/usr/bin/env node
// Probe: the npm `ari-client` (node-ari-client: swagger-client 2.0.26 over
// shred, ws 6) against an ARI server.  Prints one JSON object on its last
// stdout line: {"client", "version", "steps": {name: {"ok", ...}}}.
//
//   node probe.js --base-url http://127.0.0.1:8088 --user U --password P [--app compat]
'use strict';

const APP = 'compat';
const MISSING_CHANNEL = 'ariel-compat-no-such-channel';
const USER_EVENT = 'compat-probe';

function parseArgs(argv) {
  const args = { app: APP, timeout: 10 };
  for (let i = 2; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    args[key] = argv[i + 1];
  }
  for (const key of ['baseUrl', 'user', 'password']) {
    if (!args[key]) {
      process.stderr.write(`missing --${key}\n`);
      process.exit(2);
    }
  }
  args.timeout = Number(args.timeout);
  return args;
}

function failure(err) {
  const text = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    error_type: err && err.constructor ? err.constructor.name : typeof err,
    error: text.slice(0, 500),
  };
}

function plain(value) {
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== 'function' && !k.startsWith('_')) out[k] = plain(v);
    }
    return out;
  }
  return value;
}

function timed(promise, seconds) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const args = parseArgs(process.argv);
  const result = {
    client: 'ari-client (npm)',
    version: require('ari-client/package.json').version,
    steps: {},
  };
  const emit = () => process.stdout.write(`${JSON.stringify(result)}\n`);
  const step = async (name, action) => {
    try {
      result.steps[name] = { ok: true, value: plain(await timed(action(), args.timeout)) };
    } catch (err) {
      result.steps[name] = failure(err);
    }
    return result.steps[name];
  };

  // swagger-client prints a deprecation notice for Swagger 1.1 with console.log;
  // keep stdout for the result line only.
  console.log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);

  const ari = require('ari-client');
  let client;
  try {
    client = await timed(ari.connect(args.baseUrl, args.user, args.password), args.timeout);
  } catch (err) {
    result.steps.connect = failure(err);
    emit();
    return 0;
  }
  const resources = Object.keys(client._swagger.apis).sort();
  result.steps.connect = {
    ok: true,
    resources,
    operations: resources.reduce(
      (n, r) => n + Object.keys(client._swagger.apis[r].operations).length, 0),
    event_models: Object.keys(client._swagger.apis.events ? client._swagger.apis.events.models : {}).length,
  };

  const userEvents = [];
  const waiters = [];
  client.on('ChannelUserevent', (event) => {
    userEvents.push(event);
    while (waiters.length) waiters.shift()();
  });
  const crashes = [];
  process.on('uncaughtException', (err) => crashes.push(failure(err)));

  await step('websocket', () => client.start(args.app).then(() => true));
  await step('asterisk.getInfo', () => client.asterisk.getInfo());
  await step('asterisk.ping', () => client.asterisk.ping());
  await step('channels.list', () => client.channels.list());
  await step('applications.list', () => client.applications.list());
  await step('applications.get', () => client.applications.get({ applicationName: args.app }));
  await step('deviceStates.list', () => client.deviceStates.list());
  await step('endpoints.list', () => client.endpoints.list());
  await step('sounds.list', () => client.sounds.list());

  try {
    await timed(client.channels.get({ channelId: MISSING_CHANNEL }), args.timeout);
    result.steps['channels.get missing'] = { ok: false, error: 'no error raised' };
  } catch (err) {
    // node-ari-client turns an HTTP error into Error(<response body>): the
    // status code is not kept, only the body.
    const outcome = failure(err);
    outcome.ok = true;
    outcome.status = null;
    outcome.body = err instanceof Error ? err.message : String(err);
    result.steps['channels.get missing'] = outcome;
  }

  await step('events.userEvent', async () => {
    userEvents.length = 0;
    const arrived = new Promise((resolve) => waiters.push(resolve));
    await client.events.userEvent({ eventName: USER_EVENT, application: args.app });
    if (!userEvents.length) await arrived;
    return userEvents[0];
  });

  try {
    client.stop();
    result.steps.close = { ok: true };
  } catch (err) {
    result.steps.close = failure(err);
  }
  if (crashes.length) result.steps.uncaught = { ok: false, errors: crashes };
  emit();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
