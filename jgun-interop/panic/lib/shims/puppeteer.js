'use strict';
// Stands in for npm `puppeteer` (whose install downloads a browser): puppeteer-core driving the system
// Chromium (CHROMIUM_PATH, default /usr/bin/chromium), headless, with a fresh profile and no background
// networking, so a run talks to nothing but 127.0.0.1.
const fs = require('fs');
const os = require('os');
const path = require('path');
const core = require('puppeteer-core');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function launch(options) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jgun-panic-chromium-'));
  return core.launch(Object.assign({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    userDataDir,
    args: FLAGS,
    protocolTimeout: 60000,
  }, options || {})).then((browser) => {
    browser.once('disconnected', () => fs.rm(userDataDir, { recursive: true, force: true }, () => {}));
    return browser;
  });
}

module.exports = Object.assign(Object.create(core), { launch });
