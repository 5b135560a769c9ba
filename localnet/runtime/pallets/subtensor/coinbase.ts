/** Block step 2 (spec §2): root epoch, pending emission, subnet epochs, hotkey emission drain. */
import type { RuntimeContext } from '../../context';

export function runCoinbase(_ctx: RuntimeContext): void {}
