// Settings: load with defaults and per-field validation, atomic save, what a change means for
// the running engine.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addRecentPath,
  DEFAULT_SETTINGS,
  engineConfig,
  loadSettings,
  MAX_RECENT_PATHS,
  planSettingsChange,
  saveSettings,
  validateSettings,
  validateSettingsPatch,
} from '../../../electron/main/settings';
import type { DesktopSettings } from '../../../shared/desktop';
import { ApiArgumentError } from '../../../shared/validate';
import { tempDir } from '../../helpers/rows';

let dir: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  dir = tempDir('tracedeck-settings-');
  file = join(dir.path, 'settings.json');
});
afterEach(() => dir.remove());

const defaults = (): DesktopSettings => ({ ...DEFAULT_SETTINGS, recentPaths: [] });

describe('loadSettings', () => {
  it('gives the defaults, quietly, when there is no file', () => {
    expect(loadSettings(file)).toEqual({ settings: defaults(), problems: [] });
    expect(DEFAULT_SETTINGS).toMatchObject({ otlpHost: '127.0.0.1', otlpHttpPort: 4318, otlpGrpcPort: 4317, theme: 'system', dataDir: null });
  });

  it('reads back what was saved', () => {
    const settings: DesktopSettings = {
      otlpHost: '0.0.0.0',
      otlpHttpPort: 14318,
      otlpGrpcPort: 0,
      dataDir: '/srv/traces',
      retentionDays: 30,
      priceOverridesPath: '/home/me/prices.json',
      theme: 'dark',
      recentPaths: ['/data/a.parquet', '/data/folder'],
    };
    saveSettings(file, settings);
    expect(loadSettings(file)).toEqual({ settings, problems: [] });
  });

  it('sets a file that is not JSON aside and says so', () => {
    writeFileSync(file, '{"theme": "dark",');
    const { settings, problems } = loadSettings(file);
    expect(settings).toEqual(defaults());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/is not valid JSON .*using the defaults\. It was kept as .*settings\.json\.bad/);
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe('{"theme": "dark",');
    expect(existsSync(file)).toBe(false);
  });

  it('keeps the good fields and replaces each bad one with its default, naming it', () => {
    writeFileSync(
      file,
      JSON.stringify({ theme: 'dark', otlpHttpPort: 99999, otlpHost: 'my laptop', retentionDays: -3, dataDir: 'relative/dir', recentPaths: ['/ok', 3], unknown: true }),
    );
    const { settings, problems } = loadSettings(file);
    expect(settings).toEqual({ ...defaults(), theme: 'dark' });
    expect(problems).toEqual([
      expect.stringMatching(/^Settings: "otlpHost" must be an IP address.*using "127\.0\.0\.1"\.$/),
      expect.stringMatching(/^Settings: "otlpHttpPort" must be a port number from 0 to 65535.*using 4318\.$/),
      expect.stringMatching(/^Settings: "dataDir" must be an absolute path.*using null\.$/),
      expect.stringMatching(/^Settings: "retentionDays" must be a whole number of days/),
      expect.stringMatching(/^Settings: "recentPaths" must be a list of absolute paths/),
    ]);
  });

  it('treats a JSON value that is not an object as damaged', () => {
    expect(validateSettings([1, 2]).problems[0]).toMatch(/does not hold a JSON object/);
    expect(validateSettings(null).settings).toEqual(defaults());
  });

  it('reports a file it cannot read, and still starts', () => {
    mkdirSync(file); // a folder where the file should be: EISDIR
    const { settings, problems } = loadSettings(file);
    expect(settings).toEqual(defaults());
    expect(problems[0]).toMatch(/cannot be read/);
  });

  it('trims recent paths to the most recent ones and drops duplicates', () => {
    const many = Array.from({ length: 15 }, (_, i) => `/p${i % 12}`);
    expect(validateSettings({ recentPaths: many }).settings.recentPaths).toHaveLength(MAX_RECENT_PATHS);
    expect(validateSettings({ recentPaths: ['/a', '/a', '/b'] }).settings.recentPaths).toEqual(['/a', '/b']);
  });
});

describe('saveSettings', () => {
  it('replaces the file whole and leaves no temporary file behind', () => {
    saveSettings(file, { ...defaults(), theme: 'light' });
    saveSettings(file, { ...defaults(), theme: 'dark' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ theme: 'dark' });
    expect(readdirSync(dir.path)).toEqual(['settings.json']);
  });

  it('throws (for a dialog) when the file cannot be written, leaving the old one', () => {
    saveSettings(file, { ...defaults(), theme: 'light' });
    // A file where the folder should be fails for root too (unlike a chmod).
    const blocked = join(file, 'settings.json');
    expect(() => saveSettings(blocked, { ...defaults(), theme: 'dark' })).toThrow(/ENOTDIR/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ theme: 'light' });
  });
});

describe('validateSettingsPatch', () => {
  it('passes the fields the window may change', () => {
    expect(validateSettingsPatch({ theme: 'light', otlpHttpPort: 0, otlpGrpcPort: 4317, otlpHost: '::1', retentionDays: 7 })).toEqual({
      theme: 'light',
      otlpHttpPort: 0,
      otlpGrpcPort: 4317,
      otlpHost: '::1',
      retentionDays: 7,
    });
    expect(validateSettingsPatch({})).toEqual({});
  });

  it.each([
    [null, /must be an object/],
    [{ dataDir: '/x' }, /"dataDir" cannot be changed from the window/],
    [{ priceOverridesPath: '/x' }, /cannot be changed from the window/],
    [{ theme: 'neon' }, /"theme" must be one of system, light, dark/],
    [{ otlpHttpPort: 65536 }, /"otlpHttpPort" must be a port number/],
  ])('refuses %j', (patch, message) => {
    expect(() => validateSettingsPatch(patch)).toThrow(ApiArgumentError);
    expect(() => validateSettingsPatch(patch)).toThrow(message);
  });
});

describe('engineConfig', () => {
  it('uses the settings, else the defaults', () => {
    const env = { XDG_CONFIG_HOME: '/home/me/.config' };
    expect(engineConfig(defaults(), env)).toEqual({
      dataDir: process.platform === 'linux' ? '/home/me/.config/Tracedeck' : expect.any(String),
      host: '127.0.0.1',
      otlpHttpPort: 4318,
      otlpGrpcPort: 4317,
      pricesPath: null,
    });
    expect(engineConfig({ ...defaults(), dataDir: '/srv/t', otlpHttpPort: 9000 }, env)).toMatchObject({ dataDir: '/srv/t', otlpHttpPort: 9000 });
  });

  it('lets TRACEDECK_DATA and TRACEDECK_OTLP_HTTP_PORT win; ignores a bad port variable', () => {
    const settings = { ...defaults(), dataDir: '/srv/t', otlpHttpPort: 9000 };
    expect(engineConfig(settings, { TRACEDECK_DATA: '/tmp/e2e', TRACEDECK_OTLP_HTTP_PORT: '0' })).toMatchObject({ dataDir: '/tmp/e2e', otlpHttpPort: 0 });
    expect(engineConfig(settings, { TRACEDECK_OTLP_HTTP_PORT: 'lots' })).toMatchObject({ otlpHttpPort: 9000 });
  });
});

describe('planSettingsChange', () => {
  const env = {};

  it('moves a receiver for a new port, both for a new address, without a restart', () => {
    expect(planSettingsChange(defaults(), { otlpHttpPort: 14318 }, env)).toMatchObject({ receivers: { otlpHttp: { port: 14318, host: '127.0.0.1' } }, restartEngine: false, notes: [] });
    expect(planSettingsChange(defaults(), { otlpGrpcPort: 14317 }, env).receivers).toEqual({ otlpGrpc: { port: 14317, host: '127.0.0.1' } });
    expect(planSettingsChange(defaults(), { otlpHost: '0.0.0.0' }, env)).toMatchObject({
      receivers: { otlpHttp: { port: 4318, host: '0.0.0.0' }, otlpGrpc: { port: 4317, host: '0.0.0.0' } },
      restartEngine: false,
    });
    expect(planSettingsChange(defaults(), { otlpHttpPort: 4318 }, env).receivers).toEqual({});
  });

  it('restarts the engine for a new data folder or price table (which also applies new ports)', () => {
    expect(planSettingsChange(defaults(), { dataDir: '/srv/t' }, env)).toMatchObject({ restartEngine: true, receivers: {} });
    expect(planSettingsChange(defaults(), { priceOverridesPath: '/p.json', otlpHttpPort: 1 }, env)).toMatchObject({ restartEngine: true, receivers: {} });
  });

  it('changes neither for the theme', () => {
    expect(planSettingsChange(defaults(), { theme: 'dark' }, env)).toMatchObject({ next: { theme: 'dark' }, receivers: {}, restartEngine: false, notes: [] });
  });

  it('says when an environment variable wins, or a setting is only saved', () => {
    expect(planSettingsChange(defaults(), { otlpHttpPort: 9 }, { TRACEDECK_OTLP_HTTP_PORT: '0' })).toMatchObject({ receivers: {}, notes: [expect.stringMatching(/TRACEDECK_OTLP_HTTP_PORT=0 is set/)] });
    expect(planSettingsChange(defaults(), { otlpGrpcPort: 9 }, { TRACEDECK_OTLP_GRPC_PORT: '0' }).notes).toEqual([expect.stringMatching(/TRACEDECK_OTLP_GRPC_PORT=0 is set/)]);
    expect(planSettingsChange(defaults(), { dataDir: '/x' }, { TRACEDECK_DATA: '/t' })).toMatchObject({ restartEngine: false, notes: [expect.stringMatching(/TRACEDECK_DATA/)] });
    expect(planSettingsChange(defaults(), { retentionDays: 7 }, env).notes[0]).toMatch(/retention period is saved/);
  });
});

describe('addRecentPath', () => {
  it('puts the path first, once, and keeps the list short', () => {
    let s = defaults();
    for (let i = 0; i < 12; i++) s = addRecentPath(s, `/f${i}.parquet`);
    s = addRecentPath(s, '/f5.parquet');
    expect(s.recentPaths[0]).toBe('/f5.parquet');
    expect(s.recentPaths.filter((p) => p === '/f5.parquet')).toHaveLength(1);
    expect(s.recentPaths).toHaveLength(MAX_RECENT_PATHS);
  });
});
