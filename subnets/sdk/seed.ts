/**
 * Task seeds. A validator draws every task from a fresh 256-bit seed of the operating system's CSPRNG, so
 * miners cannot predict the next task, and a task source never issues the same seed twice. The same seed
 * always gives the same task (the seed is the task's reproducible identity, e.g. to audit a score).
 */
import { createHash, randomBytes } from 'node:crypto';
import { SubnetError } from './errors';

/** A task's seed: 64 lowercase hex digits (256 bits). */
export type TaskSeed = string;

const SEED = /^[0-9a-f]{64}$/;

/** A new unpredictable seed. */
export function newTaskSeed(): TaskSeed {
  return randomBytes(32).toString('hex');
}

/** @throws SubnetError `InvalidTaskSeed` */
export function checkTaskSeed(seed: string): TaskSeed {
  if (!SEED.test(seed)) throw new SubnetError('InvalidTaskSeed', `a task seed is 64 lowercase hex digits, got "${seed.slice(0, 80)}"`, { seed: seed.slice(0, 80) });
  return seed;
}

/**
 * A deterministic PRNG in [0, 1) from a seed: sfc32 (Chris Doty-Humphrey's small fast counting generator,
 * 128-bit state) keyed by SHA-256 of the seed and a label, so one task seed can feed several independent
 * streams (`label` 'task', 'augment', …). Not cryptographic: unpredictability comes from the seed.
 */
export function rngFromSeed(seed: TaskSeed, label = 'task'): () => number {
  const key = createHash('sha256').update(checkTaskSeed(seed)).update('\0').update(label).digest();
  let a = key.readUInt32LE(0) | 0;
  let b = key.readUInt32LE(4) | 0;
  let c = key.readUInt32LE(8) | 0;
  let d = key.readUInt32LE(12) | 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/**
 * Issues task seeds and remembers the last `capacity` of them, refusing a repeat. Fresh seeds from the CSPRNG
 * never collide in practice; the check makes "never reused" a property instead of a probability, also for
 * seeds a caller supplies (replaying a recorded task is `taskFromSeed`'s job, not the live source's).
 */
export class TaskSeeds {
  private readonly issued = new Set<TaskSeed>();

  constructor(private readonly capacity = 1_000_000) {}

  /** A fresh seed, never issued before by this source. */
  next(): TaskSeed {
    for (;;) {
      const seed = newTaskSeed();
      if (!this.issued.has(seed)) return this.remember(seed);
    }
  }

  /** Claims a supplied seed. @throws SubnetError `InvalidTaskSeed`, `TaskSeedReused` */
  claim(seed: string): TaskSeed {
    const checked = checkTaskSeed(seed);
    if (this.issued.has(checked)) throw new SubnetError('TaskSeedReused', `task seed ${checked} was already used`, { seed: checked });
    return this.remember(checked);
  }

  get size(): number {
    return this.issued.size;
  }

  private remember(seed: TaskSeed): TaskSeed {
    this.issued.add(seed);
    if (this.issued.size > this.capacity) {
      const oldest = this.issued.values().next().value as TaskSeed;
      this.issued.delete(oldest);
    }
    return seed;
  }
}
