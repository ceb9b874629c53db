export { benchDns01 } from '../dns/bench-dns01.js';
