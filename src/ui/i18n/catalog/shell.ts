import { strings } from './define';

/** The page frame: header, mode switch, language switch. */
export default strings({
  'shell.language': { en: 'Language', zh: '语言' },
  'shell.tagline': { en: 'how Nova survives rolling upgrades', zh: 'Nova 如何平滑完成滚动升级' },
  'shell.modes': { en: 'Mode', zh: '模式' },
  'shell.lessons': { en: 'Lessons', zh: '课程' },
  'shell.sandbox': { en: 'Sandbox', zh: '沙盒' },
  'shell.share': { en: 'Share', zh: '分享' },
  'shell.shareTitle': { en: 'A link that opens exactly this state', zh: '生成一个能原样打开当前状态的链接' },
  'shell.embed': { en: 'Embed', zh: '嵌入' },
  'shell.embedTitle': { en: 'Show this in another page', zh: '把这里的内容嵌入到其他网页' },
  'shell.themeTo': { en: 'Switch to the {theme} theme', zh: '切换到{theme}主题' },
  'shell.themeLight': { en: 'light', zh: '浅色' },
  'shell.themeDark': { en: 'dark', zh: '深色' },
});
