import { strings } from './define';

/** Hostile or damaged input: share links, saved state, user code, pane failures. */
export default strings({
  'safety.shared-opened.one': {
    en: 'Opened a shared link: 1 edited file is in the editor. Nothing has run: read the code, then press Run.',
    zh: '已打开分享链接：编辑器中有 1 个修改过的文件。尚未运行任何代码：请先阅读代码，再点击“运行”。',
  },
  'safety.shared-opened.many': {
    en: 'Opened a shared link: {n} edited files are in the editor. Nothing has run: read the code, then press Run.',
    zh: '已打开分享链接：编辑器中有 {n} 个修改过的文件。尚未运行任何代码：请先阅读代码，再点击“运行”。',
  },
  'safety.shared-ignored': {
    en: 'The link also holds files this lesson does not have; they were ignored: {names}.',
    zh: '链接中还包含本课没有的文件，已忽略：{names}。',
  },
  'safety.run-shared': { en: 'Run the shared code', zh: '运行分享的代码' },
  'safety.unknown-lesson': {
    en: 'There is no lesson "{name}" in this version of the playground; nothing was opened or run.',
    zh: '此版本的实验场中没有课程“{name}”；没有打开或运行任何内容。',
  },
  'safety.replay-not-started': {
    en: 'The shared sandbox was replayed, but these services did not start: {ids}. The trace shows why.',
    zh: '分享的沙盒已重放，但以下服务未能启动：{ids}。原因见消息轨迹。',
  },
  'safety.save-failed': {
    en: 'Your edit to {path} could not be saved in this browser ({why}). It is kept in this tab only: copy or download it before you close the tab.',
    zh: '你对 {path} 的修改无法保存在此浏览器中（{why}）。它只保留在当前标签页中：关闭标签页之前请复制或下载。',
  },
  'safety.save-failed-other': {
    en: 'A setting ({key}) could not be saved in this browser ({why}); it lasts until you close the tab.',
    zh: '设置（{key}）无法保存在此浏览器中（{why}）；它只在关闭标签页之前有效。',
  },
  'safety.why-quota': { en: 'its storage is full', zh: '浏览器存储已满' },
  'safety.why-unavailable': { en: 'storage is not available', zh: '存储不可用' },
  'safety.copy': { en: 'Copy', zh: '复制' },
  'safety.copied': { en: 'Copied to the clipboard.', zh: '已复制到剪贴板。' },
  'safety.copy-failed': { en: 'The clipboard is not available: use Download.', zh: '剪贴板不可用：请使用“下载”。' },
  'safety.download': { en: 'Download', zh: '下载' },
  'safety.set-aside': {
    en: 'A saved value ({key}) was damaged: it was set aside as {aside} and the default is used instead.',
    zh: '保存的数据（{key}）已损坏：已移到 {aside}，改用默认值。',
  },
  'safety.other-tab': {
    en: 'Another tab changed {path} in this lesson. Load their version, or keep yours (it is saved again over theirs)?',
    zh: '另一个标签页修改了本课的 {path}。载入对方的版本，还是保留你的版本（会重新保存并覆盖对方的）？',
  },
  'safety.load-theirs': { en: 'Load theirs', zh: '载入对方的' },
  'safety.keep-mine': { en: 'Keep mine', zh: '保留我的' },
  'safety.dismiss': { en: 'Dismiss', zh: '关闭' },
  'safety.pane-failed': {
    en: 'This pane stopped working ({message}). The rest of the page still works, and your edits are kept.',
    zh: '此面板出错停止工作（{message}）。页面其余部分仍可使用，你的修改也已保留。',
  },
  'safety.pane-retry': { en: 'Try again', zh: '重试' },
});
