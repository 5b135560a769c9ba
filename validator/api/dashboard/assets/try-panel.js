// "Send a test request": builds a request for the selected subnet's synapse in the browser, sends it through
// the validator API's infer route and shows which miner answered. Panels exist for the built-in synapses:
// DigitClassification (draw a digit, or pick a sample) and TextRecognition (type a line, or pick an image).
import { apiPost } from './api.js';
import { el, fraction, seconds, shortKey } from './format.js';
import { encodeTensor } from './tensor.js';

const SIDE = 28;
/** MNIST digits fill a 20-pixel box centred (by mass) in 28 × 28. */
const BOX = 20;

/** A 28 × 28 float32 image in [0, 1] (white on black, as MNIST) from a drawing; null when nothing is drawn. */
export function digitPixels(canvas) {
  const { width, height } = canvas;
  const src = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (src[(y * width + x) * 4] > 32) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return null;
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const scale = BOX / Math.max(w, h);
  const small = document.createElement('canvas');
  small.width = SIDE;
  small.height = SIDE;
  const ctx = small.getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, SIDE, SIDE);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(canvas, x0, y0, w, h, (SIDE - w * scale) / 2, (SIDE - h * scale) / 2, w * scale, h * scale);
  const boxed = ctx.getImageData(0, 0, SIDE, SIDE).data;
  // Shift so the centre of mass sits at the centre, as MNIST's digits do.
  let [mass, mx, my] = [0, 0, 0];
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = boxed[i * 4];
    mass += v;
    mx += v * (i % SIDE);
    my += v * Math.floor(i / SIDE);
  }
  const dx = Math.round((SIDE - 1) / 2 - mx / mass);
  const dy = Math.round((SIDE - 1) / 2 - my / mass);
  const pixels = new Float32Array(SIDE * SIDE);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < SIDE && sy >= 0 && sy < SIDE) pixels[y * SIDE + x] = boxed[(sy * SIDE + sx) * 4] / 255;
    }
  }
  return pixels;
}

/** Draws `digit` (0–9) as a sample into the drawing canvas. */
export function drawSampleDigit(canvas, digit) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#fff';
  ctx.font = `bold ${Math.round(canvas.height * 0.7)}px "DejaVu Sans", sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.fillText(String(digit), canvas.width / 2, canvas.height / 2);
}

/** Renders a text line, dark on light, into `canvas` (48 px high, as wide as the text). */
export function renderTextLine(canvas, text) {
  const ctx = canvas.getContext('2d');
  const font = '32px "DejaVu Sans", sans-serif';
  ctx.font = font;
  canvas.width = Math.max(16, Math.min(1024, Math.ceil(ctx.measureText(text).width) + 16));
  canvas.height = 48;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  ctx.font = font;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 8, canvas.height / 2);
}

/** The canvas as 8-bit grey levels (ITU-R BT.601 luma), row-major. */
export function grayscale(canvas) {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(0.299 * rgba[i * 4] + 0.587 * rgba[i * 4 + 1] + 0.114 * rgba[i * 4 + 2]);
  return out;
}

function drawable(canvas) {
  const ctx = canvas.getContext('2d');
  let last = null;
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [((e.clientX - r.left) * canvas.width) / r.width, ((e.clientY - r.top) * canvas.height) / r.height];
  };
  canvas.addEventListener('pointerdown', (e) => {
    canvas.setPointerCapture(e.pointerId);
    last = at(e);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (last === null) return;
    const next = at(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = canvas.width / 12;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(...last);
    ctx.lineTo(...next);
    ctx.stroke();
    last = next;
  });
  const stop = () => (last = null);
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointercancel', stop);
}

function digitsPanel(container, send) {
  const canvas = el('canvas', { width: '280', height: '280', id: 'digit-canvas', className: 'drawing', 'aria-label': 'draw a digit here' });
  const clear = () => {
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  };
  clear();
  drawable(canvas);
  const sample = () => {
    const digit = Math.floor(Math.random() * 10);
    drawSampleDigit(canvas, digit);
    canvas.dataset.digit = String(digit);
  };
  const go = () => {
    const pixels = digitPixels(canvas);
    if (pixels === null) return send(null, 'draw a digit first (or pick a sample)');
    send({ image: encodeTensor('float32', [SIDE, SIDE], pixels) }, (response) => {
      const p = response.probabilities;
      const best = p.indexOf(Math.max(...p));
      return `predicted ${best} (p = ${fraction(p[best], 3)})`;
    });
  };
  container.replaceChildren(
    el('p', { text: 'Draw a digit (white on black, as MNIST) or pick a sample, then send it.' }),
    canvas,
    el('div', { className: 'buttons' },
      el('button', { type: 'button', id: 'digit-sample', text: 'Sample digit', onclick: sample }),
      el('button', { type: 'button', id: 'digit-clear', text: 'Clear', onclick: () => { clear(); delete canvas.dataset.digit; } }),
      el('button', { type: 'button', id: 'try-send', text: 'Send', onclick: go })),
  );
}

function ocrPanel(container, send) {
  const canvas = el('canvas', { width: '320', height: '48', id: 'line-canvas', className: 'line' });
  const input = el('input', { type: 'text', id: 'line-text', value: 'tensornet 2024', maxlength: '64', 'aria-label': 'text to render' });
  const render = () => renderTextLine(canvas, input.value);
  input.addEventListener('input', render);
  const file = el('input', { type: 'file', id: 'line-file', accept: 'image/*', 'aria-label': 'or an image of a text line' });
  file.addEventListener('change', async () => {
    const picked = file.files?.[0];
    if (picked === undefined) return;
    const bitmap = await createImageBitmap(picked);
    // The miner resizes to height 48 anyway: a smaller upload keeps the request small.
    const scale = Math.min(1, 96 / bitmap.height, 2048 / bitmap.width);
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  });
  render();
  const go = () => send({ image: encodeTensor('uint8', [canvas.height, canvas.width], grayscale(canvas)) }, (response) => `read "${response.text}" (confidence ${fraction(response.confidence, 3)})`);
  container.replaceChildren(
    el('p', { text: 'Type a line of text (rendered here in the browser) or pick an image of one, then send it.' }),
    el('div', { className: 'buttons' }, input, file),
    canvas,
    el('div', { className: 'buttons' }, el('button', { type: 'button', id: 'try-send', text: 'Send', onclick: go })),
  );
}

const PANELS = { DigitClassification: digitsPanel, TextRecognition: ocrPanel };

/**
 * Fills `container` with the panel of `subnet` ({netuid, synapse}); answers are shown in `result`, and
 * `onAnswered()` is called after each request (the usage figures changed).
 */
export function showTryPanel(container, result, subnet, onAnswered = () => {}) {
  result.replaceChildren();
  delete result.dataset.minerUid;
  const make = PANELS[subnet.synapse];
  if (make === undefined) {
    container.replaceChildren(el('p', { text: `No test panel for synapse ${subnet.synapse}: send its request to POST v1/subnets/${subnet.netuid}/infer (see v1/openapi.json).` }));
    return;
  }
  make(container, async (body, describe) => {
    delete result.dataset.minerUid;
    if (body === null) return result.replaceChildren(el('p', { className: 'error', text: describe }));
    result.replaceChildren(el('p', { text: 'asking…' }));
    try {
      const answer = await apiPost(`v1/subnets/${subnet.netuid}/infer`, body);
      const { miner, tried } = answer;
      result.dataset.minerUid = String(miner.uid);
      result.replaceChildren(
        el('p', { className: 'answer', text: `uid ${miner.uid} (${shortKey(miner.hotkey)}) answered in ${seconds(miner.latencyS)}: ${describe(answer.response)}` }),
        el('p', { className: 'tried', text: `asked: ${tried.map((t) => `uid ${t.uid} ${t.status}`).join(', ')}` }),
      );
    } catch (err) {
      result.replaceChildren(el('p', { className: 'error', text: `${err.code ?? 'Error'}: ${err.message}` }));
    }
    onAnswered();
  });
}
