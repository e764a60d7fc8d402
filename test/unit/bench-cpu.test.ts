import { cpuMsFromStat, processCpuMs } from '../../bench/cpu';

describe('bench CPU time from /proc', () => {
  it('reads utime + stime after the command name, even one with spaces and parentheses', () => {
    const stat = '4242 (node (my bot) x) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 50 0 0 20 0 11';
    expect(cpuMsFromStat(stat, 100)).toBe(2000);
    expect(cpuMsFromStat(stat, 250)).toBe(800);
  });

  it('refuses a line it cannot read instead of reporting zero', () => {
    expect(() => cpuMsFromStat('4242 (node) S 1', 100)).toThrow(/unexpected \/proc stat line/);
  });

  it('grows while this process burns CPU', () => {
    const before = processCpuMs(process.pid);
    // 50 ms of CPU by Node's own count (not wall time: the machine may be busy), 5 ticks.
    const start = process.cpuUsage();
    const deadline = Date.now() + 10_000;
    const used = () => {
      const { user, system } = process.cpuUsage(start);
      return (user + system) / 1000;
    };
    while (used() < 50 && Date.now() < deadline) Math.sqrt(Math.random());
    expect(processCpuMs(process.pid)).toBeGreaterThan(before);
  });
});
