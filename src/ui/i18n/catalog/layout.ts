import { strings } from './define';

/** The page layout: panes, the narrow-screen tabs, the skip link, the sandbox pane. */
export default strings({
  'layout.skip': { en: 'Skip to the main content', zh: '跳到主要内容' },
  'layout.panes': { en: 'Panes', zh: '窗格' },
  'layout.tab.lesson': { en: 'Lesson', zh: '课程' },
  'layout.tab.code': { en: 'Code', zh: '代码' },
  'layout.tab.cluster': { en: 'Cluster', zh: '集群' },
  'layout.tab.messages': { en: 'Messages', zh: '消息' },
  'layout.simulation': { en: 'Simulation', zh: '模拟' },
  'layout.resizeInspector': { en: 'Resize the inspector', zh: '调整检查器大小' },
  'layout.resizeLesson': { en: 'Resize the lesson pane', zh: '调整课程窗格大小' },
  'layout.resizeEditor': { en: 'Resize the editor', zh: '调整编辑器大小' },
  'layout.resizeSandbox': { en: 'Resize the sandbox controls', zh: '调整沙盒控制区大小' },
  'layout.emptyLesson': { en: 'Press Run to start the scenario: every message between the services will be drawn here.', zh: '按“运行”启动场景：服务之间的每条消息都会画在这里。' },
  'layout.emptySandbox': { en: 'Act on the cluster: every message will be drawn here.', zh: '对集群进行操作：每条消息都会画在这里。' },
  'layout.sandbox': { en: 'Sandbox', zh: '沙盒' },
  'layout.sandboxControls': { en: 'Sandbox controls', zh: '沙盒控制' },
  'layout.sandbox.sub': { en: 'free play on a live cluster', zh: '在运行中的集群上自由操作' },
  'layout.sandbox.replaying': { en: 'replaying a shared sandbox…', zh: '正在重放分享的沙盒…' },
  'layout.sandbox.intro': {
    en: 'Free play. Upgrade services one at a time, pin [upgrade_levels], act on instances, and watch which version every message goes out at, which ones are capped, backported or refused.',
    zh: '自由操作。逐个升级服务，固定 [upgrade_levels]，操作实例，观察每条消息以哪个版本发出，哪些被限版、回移（backport）或拒绝。',
  },
  'layout.preset': { en: 'Cluster for a new start', zh: '新建集群时使用的配置' },
  'layout.preset.juno': { en: 'All Juno (before the upgrade)', zh: '全部 Juno（升级前）' },
  'layout.preset.mixed': { en: 'Kilo control plane, Juno computes', zh: 'Kilo 控制平面，Juno 计算节点' },
  'layout.preset.pinned': { en: 'Pinned: Kilo with [upgrade_levels] compute = juno', zh: '已固定：Kilo，[upgrade_levels] compute = juno' },
  'layout.preset.shared': { en: 'The shared cluster ({n} services)', zh: '分享的集群（{n} 个服务）' },
  'layout.sharedOpened': { en: 'Opened a shared sandbox: {services} services, {n} steps replayed.', zh: '已打开分享的沙盒：{services} 个服务，重放了 {n} 个步骤。' },
  'layout.sharedOpened.one': { en: 'Opened a shared sandbox: {services} services, {n} step replayed.', zh: '已打开分享的沙盒：{services} 个服务，重放了 {n} 个步骤。' },
  'layout.newCluster': { en: 'New cluster', zh: '新建集群' },
});
