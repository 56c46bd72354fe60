// What a launch asks to open: `tracedeck FILE…`, the OS file association, a second launch.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeSecondInstanceData, MAX_LAUNCH_PATHS, parseLaunchArgs, parseSecondInstance } from '../../../electron/main/launch-args';

const CWD = resolve('/home/me/work');
const packaged = { defaultApp: false, cwd: CWD };
const dev = { defaultApp: true, cwd: CWD };

describe('parseLaunchArgs', () => {
  it('takes files and folders from a packaged app, relative to the working directory', () => {
    expect(parseLaunchArgs(['/opt/Tracedeck/tracedeck', 'traces.parquet', '../exports', '/data/x.parquet'], packaged)).toEqual({
      paths: [resolve(CWD, 'traces.parquet'), resolve('/home/me/exports'), resolve('/data/x.parquet')],
      problems: [],
    });
  });

  it('skips the app path when run as `electron <app> …`, also after flags', () => {
    // What Playwright's _electron.launch and `npm start` produce.
    const argv = ['/x/electron', '--inspect=0', '--remote-debugging-port=0', '/repo/out/main/index.js', '--no-sandbox', 'a.parquet'];
    expect(parseLaunchArgs(argv, dev).paths).toEqual([resolve(CWD, 'a.parquet')]);
    expect(parseLaunchArgs(['/x/electron', '.'], dev).paths).toEqual([]);
  });

  it('skips flags Electron, Chromium and macOS add', () => {
    const argv = ['/app', '--original-process-start-time=13380000000', '-psn_0_123456', '--enable-logging', 'x.parquet', '--allow-file-access-from-files'];
    expect(parseLaunchArgs(argv, packaged).paths).toEqual([resolve(CWD, 'x.parquet')]);
  });

  it('reads everything after -- as a path, even a name that starts with a dash', () => {
    expect(parseLaunchArgs(['/app', '--', '-weird.parquet', '--also'], packaged).paths).toEqual([resolve(CWD, '-weird.parquet'), resolve(CWD, '--also')]);
  });

  it('turns file:// URIs (Linux desktops pass %U) into paths', () => {
    const file = resolve('/home/me/My Traces/run 1.parquet');
    expect(parseLaunchArgs(['/app', pathToFileURL(file).toString()], packaged).paths).toEqual([file]);
  });

  it('reports URLs and broken arguments instead of opening them', () => {
    const r = parseLaunchArgs(['/app', 'https://example.com/x.parquet', 'file://server/share/x.parquet', 'ok.parquet', 'bad\0name'], packaged);
    expect(r.paths).toEqual([resolve(CWD, 'ok.parquet')]);
    expect(r.problems).toEqual([
      { arg: 'https://example.com/x.parquet', reason: expect.stringMatching(/is a URL, not a file or folder/) },
      ...(process.platform === 'win32' ? [] : [{ arg: 'file://server/share/x.parquet', reason: expect.stringMatching(/does not name a local file/) }]),
      { arg: 'bad\0name', reason: 'is not a valid path' },
    ]);
  });

  it('opens each path once and at most MAX_LAUNCH_PATHS', () => {
    expect(parseLaunchArgs(['/app', 'a.parquet', './a.parquet', resolve(CWD, 'a.parquet')], packaged).paths).toHaveLength(1);
    const many = parseLaunchArgs(['/app', ...Array.from({ length: MAX_LAUNCH_PATHS + 5 }, (_, i) => `f${i}.parquet`)], packaged);
    expect(many.paths).toHaveLength(MAX_LAUNCH_PATHS);
    expect(many.problems).toEqual([{ arg: '5 more', reason: `only the first ${MAX_LAUNCH_PATHS} paths are opened` }]);
  });

  it('gives nothing for a plain launch', () => {
    expect(parseLaunchArgs(['/app'], packaged)).toEqual({ paths: [], problems: [] });
    expect(parseLaunchArgs([], packaged)).toEqual({ paths: [], problems: [] });
  });
});

describe('parseSecondInstance', () => {
  const other = resolve('/home/other/dir');

  it('prefers the arguments the second instance sent along, relative to its own directory', () => {
    const data = makeSecondInstanceData(['/app', 'x.parquet'], other, false);
    // Electron's argv can carry Chromium's additions and differs from the sender's; ignored here.
    expect(parseSecondInstance(['/app', '--original-process-start-time=1', 'y.parquet'], CWD, data, false).paths).toEqual([resolve(other, 'x.parquet')]);
  });

  it('falls back to Electron argv and working directory when the data is missing or malformed', () => {
    const argv = ['/app', 'y.parquet'];
    const expected = [resolve(CWD, 'y.parquet')];
    for (const data of [undefined, null, 'x', {}, { argv: 'x', cwd: other, defaultApp: false }, { argv: ['/app', 1], cwd: other, defaultApp: false }, { argv: ['/app'], cwd: 'relative', defaultApp: false }, { argv: ['/app'], cwd: other, defaultApp: 'no' }]) {
      expect(parseSecondInstance(argv, CWD, data, false).paths).toEqual(expected);
    }
  });

  it('passes bad arguments on as problems for the running instance to show', () => {
    const data = makeSecondInstanceData(['/app', 'ftp://x/y'], other, false);
    expect(parseSecondInstance([], CWD, data, false)).toEqual({ paths: [], problems: [{ arg: 'ftp://x/y', reason: expect.stringMatching(/is a URL/) }] });
  });
});
