export { type AppConfig, composeApp } from './compose.js';
