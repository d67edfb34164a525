import { strings } from './define';

/** The editor pane: file tabs, Run, settings, problems, nova.conf checks. */
export default strings({
  'editor.label': { en: 'Editor', zh: '编辑器' },
  'editor.aria': { en: 'Lesson code editor. Tab indents; press {keys} to make Tab move the focus out of the editor.', zh: '课程代码编辑器。Tab 用于缩进；按 {keys} 后，Tab 会把焦点移出编辑器。' },
  'editor.files': { en: 'Lesson files', zh: '课程文件' },
  'editor.fileList': { en: 'All files of this lesson', zh: '本课的全部文件' },
  'editor.edited': { en: 'edited', zh: '已修改' },
  'editor.edited.title': { en: 'edited (saved in this browser)', zh: '已修改（保存在本浏览器中）' },
  'editor.noFiles': { en: 'no files to edit in this lesson', zh: '本课没有需要编辑的文件' },
  'editor.resetFile': { en: 'Reset file', zh: '重置文件' },
  'editor.resetFile.title': { en: "Reset this file to the lesson's start (Ctrl+Z undoes it)", zh: '把此文件恢复为课程初始内容（Ctrl+Z 可撤销）' },
  'editor.settings': { en: 'Editor settings', zh: '编辑器设置' },
  'editor.wordWrap': { en: 'Word wrap', zh: '自动换行' },
  'editor.fontSize': { en: 'Font size', zh: '字号' },
  'editor.leaveHint': { en: 'Tab indents here. {keys} then Tab leaves the editor.', zh: '此处 Tab 用于缩进。按 {keys} 后再按 Tab 即可离开编辑器。' },
  'editor.run': { en: 'Run', zh: '运行' },
  'editor.running': { en: 'Running…', zh: '运行中…' },
  'editor.loading': { en: 'Loading the editor…', zh: '正在加载编辑器…' },
  'editor.loadError': { en: 'The editor could not load ({error}). Your saved edits are kept.', zh: '编辑器加载失败（{error}）。你保存的修改仍然保留。' },
  'editor.problems': { en: 'Problems', zh: '问题' },
  'editor.error': { en: '{n} error: fix it before running', zh: '{n} 个错误：请先修复再运行' },
  'editor.errors': { en: '{n} errors: fix them before running', zh: '{n} 个错误：请先修复再运行' },
  'editor.warning': { en: '{n} warning', zh: '{n} 个警告' },
  'editor.warnings': { en: '{n} warnings', zh: '{n} 个警告' },
});
