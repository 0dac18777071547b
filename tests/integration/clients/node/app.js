#!/usr/bin/env node
// Call app on the npm `ari-client` (node-ari-client): event emitters.
//
// The client emits each event on itself and on the instances it names
// (`client.on('StasisStart', (event, channel) => ...)`,
// `channel.on('ChannelDtmfReceived', ...)`, `playback.once('PlaybackFinished', ...)`);
// an operation returns a promise. The menu is the one described in
// ../apps/_call_app.py: answer, play sound:hello-world, then digit 1 plays
// sound:digits/1 and hangs up, 2 puts the call in the app's mixing bridge,
// # hangs up. Each stdout line is one JSON object ({"app"}, {"event"}, {"op"},
// {"error"}); SIGTERM destroys the bridge, closes the client and exits 0.
//
//   node app.js --base-url http://127.0.0.1:8088 --user U --password P [--app call-app]
'use strict';

const APP = 'call-app';
const PROMPT = 'sound:hello-world';
const DIGIT_ONE = 'sound:digits/1';

function parseArgs(argv) {
  const args = { app: APP };
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
  return args;
}

function emit(fields) {
  process.stdout.write(`${JSON.stringify(fields)}\n`);
}

function error(where, err) {
  const text = err instanceof Error ? err.message : String(err);
  emit({
    error: `${err && err.constructor ? err.constructor.name : typeof err}: ${text}`.slice(0, 800),
    where,
    traceback: err && err.stack ? String(err.stack).split('\n').slice(0, 6) : [],
  });
}

// Runs an async event handler, reporting what it throws.
function guarded(where, handler) {
  return (...params) => {
    Promise.resolve()
      .then(() => handler(...params))
      .catch((err) => error(where, err));
  };
}

async function main() {
  const args = parseArgs(process.argv);
  // swagger-client prints a deprecation notice for Swagger 1.1 with console.log:
  // keep stdout for the JSON lines.
  console.log = (...parts) => process.stderr.write(`${parts.join(' ')}\n`);
  process.on('uncaughtException', (err) => error('uncaught', err));

  const ari = require('ari-client');
  const client = await ari.connect(args.baseUrl, args.user, args.password);
  const bridge = client.Bridge();
  await bridge.create({ type: 'mixing', name: `${args.app}-bridge` });
  emit({ op: 'create_bridge', bridge: bridge.id });

  const state = new Map();

  async function play(channel, media, then) {
    const playback = client.Playback();
    playback.once('PlaybackFinished', guarded('PlaybackFinished', async (event) => {
      emit({ event: 'PlaybackFinished', channel: channel.id, media: event.playback.media_uri });
      await then(channel);
    }));
    await channel.play({ media }, playback);
    emit({ op: 'play', channel: channel.id, media, playback: playback.id });
  }

  async function openMenu(channel) {
    if (state.get(channel.id) === 'prompt') {
      state.set(channel.id, 'menu');
      emit({ op: 'menu', channel: channel.id });
    }
  }

  async function hangup(channel) {
    state.set(channel.id, 'hangup');
    await channel.hangup();
    emit({ op: 'hangup', channel: channel.id });
  }

  async function onDtmf(event, channel) {
    const digit = event.digit;
    emit({ event: 'ChannelDtmfReceived', channel: channel.id, digit });
    const where = state.get(channel.id);
    if (where === 'menu' && digit === '1') {
      state.set(channel.id, 'goodbye');
      await play(channel, DIGIT_ONE, hangup);
    } else if (where === 'menu' && digit === '2') {
      state.set(channel.id, 'bridged');
      await bridge.addChannel({ channel: channel.id });
      emit({ op: 'addChannel', channel: channel.id, bridge: bridge.id });
    } else if ((where === 'menu' || where === 'bridged') && digit === '#') {
      await hangup(channel);
    }
  }

  client.on('StasisStart', guarded('StasisStart', async (event, channel) => {
    emit({ event: 'StasisStart', channel: channel.id, caller: channel.caller.name, args: event.args });
    state.set(channel.id, 'prompt');
    channel.on('ChannelDtmfReceived', guarded('ChannelDtmfReceived', onDtmf));
    await channel.answer();
    emit({ op: 'answer', channel: channel.id });
    await play(channel, PROMPT, openMenu);
  }));

  client.on('StasisEnd', guarded('StasisEnd', async (event, channel) => {
    emit({ event: 'StasisEnd', channel: channel.id });
    state.delete(channel.id);
    channel.removeAllListeners('ChannelDtmfReceived');
  }));

  // ChannelEnteredBridge names a bridge and a channel: both come as instances.
  bridge.on('ChannelEnteredBridge', guarded('ChannelEnteredBridge', async (event, instances) => {
    emit({ event: 'ChannelEnteredBridge', channel: instances.channel.id, bridge: instances.bridge.id });
  }));

  await client.start(args.app);
  emit({ app: 'ready', bridge: bridge.id });

  await new Promise((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await bridge.destroy();
  emit({ op: 'destroy_bridge', bridge: bridge.id });
  client.stop();
}

main().then(
  () => {
    emit({ app: 'exit' });
    process.exit(0);
  },
  (err) => {
    error('main', err);
    emit({ app: 'exit' });
    process.exit(1);
  },
);
