import { strings } from './define';

/** The simulator's state as the page reports it. */
export default strings({
  'sim.loading': { en: 'Loading the simulator…', zh: '正在加载模拟器…' },
  'sim.starting': { en: 'Starting the cluster: {booted}/{total} services booted…', zh: '正在启动集群：已启动 {booted}/{total} 个服务…' },
});
