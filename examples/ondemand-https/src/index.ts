export { type App, type AppConfig, startApp } from './app.js';
