/**
 * The `bt_header_input_obj_*` headers a synapse's requests carry, as the reference axon needs them: it
 * builds the synapse from the headers before reading the body, so every required field gets the JSON of an
 * empty value of its Python type — except `bt.Tensor` fields, whose Python declaration is
 * `Optional[bt.Tensor] = None` (a required one cannot be filled from headers: `{}` lacks dtype and shape).
 */
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { z } from 'zod';
import { keypairFromUri } from '../../chain-client/wallet';
import { btTensor, buildRequest, defineSynapse, encodeTensor, inputObjHeadersOf } from '../../protocol';

const Mixed = defineSynapse({
  name: 'Mixed',
  request: { image: btTensor, mask: btTensor.nullable(), count: z.number().int(), scale: z.number(), label: z.string(), tags: z.array(z.string()), meta: z.record(z.string(), z.number()), hint: z.string().optional() },
  response: { out: z.string() },
});

const image = encodeTensor({ dtype: 'float32', shape: [2], data: new Uint8Array(8) });

test('required fields send the empty value of their Python type; bt.Tensor and optional fields send none', () => {
  expect(Mixed.inputObjHeaders).toEqual({ count: 'MA==', scale: 'MC4w', label: 'IiI=', tags: 'W10=', meta: 'e30=' });
});

test('a signed request carries no input_obj header for its tensor fields', async () => {
  await cryptoWaitReady();
  const request = buildRequest({
    synapse: Mixed,
    input: { image, mask: image, count: 3, scale: 0.5, label: 'x', tags: [], meta: {} },
    hotkey: keypairFromUri('//Alice'),
    axon: { ip: '127.0.0.1', port: 8091, hotkey: keypairFromUri('//Bob').address },
    uuid: '00000000-0000-1000-8000-000000000000',
    nonce: 1_700_000_000_000_000_000n,
  });
  const inputObj = Object.keys(request.headers).filter((h) => h.startsWith('bt_header_input_obj_'));
  expect(inputObj).toEqual(['bt_header_input_obj_count', 'bt_header_input_obj_scale', 'bt_header_input_obj_label', 'bt_header_input_obj_tags', 'bt_header_input_obj_meta']);
  // The tensors are still in the body and covered by the body hash.
  expect(JSON.parse(request.body)['image']).toEqual(image);
  expect(request.bodyHash).toBe(Mixed.hashOf({ image, mask: image, count: 3, scale: 0.5, label: 'x', tags: [], meta: {} }));
});

test('a None value sends no header either', () => {
  const Nullable = defineSynapse({ name: 'Nullable', request: { label: z.string().nullable() }, response: {} });
  expect(inputObjHeadersOf(Nullable, { label: null })).toEqual({});
  expect(inputObjHeadersOf(Nullable, { label: 'a' })).toEqual({ bt_header_input_obj_label: 'IiI=' });
});
