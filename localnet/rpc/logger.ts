/** The RPC layer's logger: the shared interface of `common/`. */
export { silentLogger, truncate, type Logger } from '../../common/logger';
