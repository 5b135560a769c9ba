// The dashboard: loads the views, then follows the events socket. See validator/api/README.md ("Dashboard").
import { ApiFailure, apiGet, forgetKey, openEvents, storedKey, storeKey, takeKeyFromFragment } from './api.js';
import { HistoryChart } from './charts.js';
import { el, percent, seconds, tao } from './format.js';
import { MetagraphTable } from './table.js';
import { showTryPanel } from './try-panel.js';

/** Miners charted per subnet (the highest incentive first): more lines than this are unreadable. */
const MAX_CHARTED_MINERS = 24;
/** The network view is read at most this often (it costs a few chain requests). */
const NETWORK_EVERY_MS = 2000;

const $ = (id) => document.getElementById(id);
const state = {
  subnets: [],
  selected: null,
  block: 0,
  /** netuid → {graph, stats, chart, container, lastEpoch, lastWeights} */
  views: new Map(),
  events: null,
  lastNetworkRead: 0,
  networkTimer: null,
};
let table;
let shareChart;

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = message === '';
}

function showKeyForm(message = '') {
  $('main').hidden = true;
  $('forget-key').hidden = true;
  $('key-form').hidden = false;
  $('key-error').textContent = message;
  $('key-input').focus();
}

function setBlock(block) {
  if (block <= state.block) return;
  state.block = block;
  $('block').textContent = block.toLocaleString('en-US');
}

/** The synapse each served subnet speaks, from the OpenAPI document's infer routes. */
function synapseOf(doc, netuid) {
  const ref = doc.paths?.[`/v1/subnets/${netuid}/infer`]?.post?.requestBody?.content?.['application/json']?.schema?.$ref ?? '';
  return ref.replace('#/components/schemas/', '').replace(/Request$/, '');
}

async function readNetwork() {
  state.lastNetworkRead = Date.now();
  let network;
  try {
    network = await apiGet('v1/network');
  } catch (err) {
    return handleFailure(err);
  }
  showError('');
  setBlock(network.block);
  $('issuance').textContent = tao(network.totalIssuance, 2);
  $('block-emission').textContent = network.blockEmission === null ? '—' : tao(network.blockEmission);
  const shares = new Map();
  for (const s of network.subnets) {
    if (s.share === null) continue;
    const name = state.subnets.find((x) => x.netuid === s.netuid)?.name;
    shares.set(s.netuid, { label: name === undefined ? `subnet ${s.netuid}` : `${s.netuid} ${name}`, value: s.share });
  }
  $('share-note').textContent = shares.size === 0 ? 'No emission split yet: the root epoch has not set any subnet’s emission.' : '';
  if (shares.size > 0) shareChart.push(network.block, shares);
  $('shares').replaceChildren(...network.subnets.filter((s) => s.netuid !== 0).map((s) => el('li', { text: `subnet ${s.netuid}: ${percent(s.share)} (${tao(s.emission)} per block)` })));
}

/** Reads the network view now, or once NETWORK_EVERY_MS has passed since the last read. */
function scheduleNetwork() {
  if (state.networkTimer !== null) return;
  const wait = Math.max(0, state.lastNetworkRead + NETWORK_EVERY_MS - Date.now());
  state.networkTimer = setTimeout(() => {
    state.networkTimer = null;
    void readNetwork();
  }, wait);
}

/** Reads a subnet's metagraph and usage; `epoch` (a block) adds a point to its incentive chart. */
async function readSubnet(netuid, epoch) {
  const view = state.views.get(netuid);
  let graph;
  let stats;
  try {
    [graph, stats] = await Promise.all([apiGet(`v1/subnets/${netuid}/metagraph`), apiGet(`v1/subnets/${netuid}/stats`)]);
  } catch (err) {
    return handleFailure(err);
  }
  view.graph = graph;
  view.stats = stats;
  setBlock(graph.block);
  const serving = graph.neurons.filter((n) => n.axon.serving);
  const miners = [...(serving.length > 0 ? serving : graph.neurons)].sort((a, b) => b.incentive - a.incentive || a.uid - b.uid).slice(0, MAX_CHARTED_MINERS);
  view.chart.push(epoch ?? graph.block, new Map(miners.map((n) => [n.uid, { label: `uid ${n.uid}`, value: n.incentive }])));
  if (epoch !== undefined) view.lastEpoch = epoch;
  if (state.selected === netuid) renderSubnet();
}

async function readStats(netuid) {
  try {
    state.views.get(netuid).stats = await apiGet(`v1/subnets/${netuid}/stats`);
  } catch (err) {
    return handleFailure(err);
  }
  if (state.selected === netuid) renderSubnet();
}

function renderSubnet() {
  const subnet = state.subnets.find((s) => s.netuid === state.selected);
  const view = state.views.get(state.selected);
  if (view.graph === null) return;
  table.update(view.graph.neurons);
  const { stats } = view;
  $('subnet-status').textContent = [
    `metagraph at block ${view.graph.block.toLocaleString('en-US')}`,
    `last epoch ${view.lastEpoch === null ? '—' : view.lastEpoch.toLocaleString('en-US')}`,
    `weights set ${view.lastWeights === null ? '—' : `at block ${view.lastWeights.toLocaleString('en-US')}`}`,
    `API requests ${stats.requests} (success ${percent(stats.successRate)}, p50 ${seconds(stats.latencyS.p50)})`,
  ].join(' · ');
  $('subnet-title').textContent = `Subnet ${subnet.netuid}: ${subnet.name} ${subnet.version}`;
}

function select(netuid) {
  state.selected = netuid;
  for (const button of $('subnet-tabs').children) button.setAttribute('aria-selected', String(Number(button.dataset.netuid) === netuid));
  for (const [n, view] of state.views) view.container.hidden = n !== netuid;
  showTryPanel($('try-panel'), $('try-result'), state.subnets.find((s) => s.netuid === netuid), () => void readStats(netuid));
  renderSubnet();
}

function onEvent(event) {
  const view = state.views.get(event.netuid);
  switch (event.type) {
    case 'block':
      setBlock(event.block);
      scheduleNetwork();
      break;
    case 'epoch':
      void readSubnet(event.netuid, event.block);
      scheduleNetwork();
      break;
    case 'step':
      if (view?.graph) {
        for (const a of event.answers) {
          const neuron = view.graph.neurons[a.uid];
          if (neuron !== undefined && neuron.hotkey === a.hotkey) neuron.score = a.average;
        }
        if (state.selected === event.netuid) table.update(view.graph.neurons);
      }
      break;
    case 'weights':
      if (view) view.lastWeights = event.block;
      if (state.selected === event.netuid) renderSubnet();
      break;
    default:
  }
}

async function onSocketState(socketState) {
  $('connection').textContent = socketState === 'open' ? 'live' : 'reconnecting…';
  $('connection').className = `status ${socketState === 'open' ? 'live' : 'down'}`;
  // A refused handshake is invisible to a page: a REST call tells whether the key is what failed.
  if (socketState === 'closed') {
    try {
      await apiGet('v1/subnets');
    } catch (err) {
      handleFailure(err);
    }
  }
}

function handleFailure(err) {
  if (err instanceof ApiFailure && err.status === 401) {
    state.events?.close();
    forgetKey();
    showKeyForm('The API refused this key (malformed, unknown or revoked).');
    return;
  }
  showError(`${err.code ?? 'Error'}: ${err.message}`);
}

async function start() {
  showError('');
  let list;
  let doc;
  try {
    [list, doc] = await Promise.all([apiGet('v1/subnets'), apiGet('v1/openapi.json')]);
  } catch (err) {
    return handleFailure(err);
  }
  $('key-form').hidden = true;
  $('forget-key').hidden = false;
  $('main').hidden = false;
  state.subnets = list.subnets.map((s) => ({ ...s, synapse: synapseOf(doc, s.netuid) }));
  table = new MetagraphTable($('metagraph'));
  shareChart = new HistoryChart($('share-chart'), { yLabel: 'emission share', yRange: [0, 1] });
  $('subnet-tabs').replaceChildren(...state.subnets.map((s) => el('button', {
    type: 'button', role: 'tab', 'data-netuid': String(s.netuid), text: `${s.netuid} ${s.name}`, onclick: () => select(s.netuid),
  })));
  $('incentive-charts').replaceChildren();
  state.views.clear();
  for (const s of state.subnets) {
    const container = el('div', { className: 'chart', id: `incentive-chart-${s.netuid}`, 'data-netuid': String(s.netuid) });
    $('incentive-charts').append(container);
    state.views.set(s.netuid, { graph: null, stats: null, container, chart: new HistoryChart(container, { xLabel: 'epoch (block)', yLabel: 'incentive', yRange: [0, 1] }), lastEpoch: null, lastWeights: null });
  }
  if (state.subnets.length === 0) {
    $('subnet-title').textContent = 'This validator API serves no subnet.';
  } else select(state.subnets[0].netuid);
  await Promise.all([readNetwork(), ...state.subnets.map((s) => readSubnet(s.netuid))]);
  state.events = openEvents(onEvent, (s) => void onSocketState(s));
  // Milliseconds from navigation to a page showing data (the browser test reports it).
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  document.body.dataset.ready = 'true';
}

$('key-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const key = $('key-input').value.trim();
  if (key === '') return;
  storeKey(key);
  $('key-input').value = '';
  void start();
});
$('forget-key').addEventListener('click', () => {
  forgetKey();
  location.reload();
});

takeKeyFromFragment();
if (storedKey() === null) showKeyForm();
else void start();
