/** A model-free subnet for the SDK's tests: miners add numbers; the reward is exactness with a latency term. */
import { z } from 'zod';
import { defineSynapse } from '../../../protocol';
import { defineSubnet, latencyFactor, type Subnet, type VerificationSpec } from '../../../subnets/sdk';

export const AddNumbers = defineSynapse({
  name: 'AddNumbers',
  request: { numbers: z.array(z.number().int()) },
  response: { sum: z.number().int(), work: z.array(z.number()) },
});

type Verification = VerificationSpec<{ numbers: number[] }, number, { sum: number; work: number[] }>;

export function toySubnet(verification?: Verification): Subnet<typeof AddNumbers, number> {
  return defineSubnet({
    name: 'toy-add',
    version: '1.2.3',
    description: 'adds numbers',
    synapse: AddNumbers,
    timeoutS: 2,
    generateTask(rng) {
      const numbers = Array.from({ length: 1 + Math.floor(rng() * 5) }, () => Math.floor(rng() * 1000) - 500);
      return { request: { numbers }, reference: numbers.reduce((a, b) => a + b, 0) };
    },
    reward(task, answers, ctx) {
      return answers.map((a) => (a.response !== null && a.response.sum === task.reference ? latencyFactor(a.latencyS, ctx.timeoutS) : 0));
    },
    miner: {
      model: 'none',
      tiers: { exact: { description: 'adds exactly' }, sloppy: { description: 'adds all but the last number' } },
      createHandler({ tier }) {
        return async (request) => {
          const used = tier === 'sloppy' ? request.numbers.slice(0, -1) : request.numbers;
          return { sum: used.reduce((a, b) => a + b, 0), work: used.map((n) => n * 0.5) };
        };
      },
    },
    copyDetection: { fingerprint: (r) => r.work, tolerance: 1e-9 },
    ...(verification === undefined ? {} : { verification }),
    hyperparameters: { tempo: 10 },
  });
}
