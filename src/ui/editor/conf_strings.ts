/**
 * The nova.conf checker's messages, in both languages. They load with the
 * editor (the checker runs in its chunk), not with the first page, so they
 * live here rather than in the eager catalog; test/ui/conf_lint.test.ts
 * checks both texts and their placeholders as the catalog test does.
 */
import { getLocale } from '../i18n';
import { strings } from '../i18n/catalog/define';

export const LINT_STRINGS = strings({
  'editor.lint.didYouMean': { en: 'Did you mean "{name}"?', zh: '是不是想写 "{name}"？' },
  'editor.lint.unknownSection': { en: 'No simulated service reads a [{section}] section: nova ignores it.', zh: '没有任何模拟服务读取 [{section}] 段：nova 会忽略它。' },
  'editor.lint.unparsable': { en: 'nova.conf cannot parse this line: write "option = value", a [section] or a # comment.', zh: 'nova.conf 无法解析这一行：应为 "option = value"、[section] 或 # 注释。' },
  'editor.lint.outside': { en: 'Option "{option}" is outside any [section]: the service refuses to start.', zh: '选项 "{option}" 不在任何 [section] 中：服务将拒绝启动。' },
  'editor.lint.unknownOption': { en: 'No simulated service reads [{section}] {option}: nova ignores it.', zh: '没有任何模拟服务读取 [{section}] {option}：nova 会忽略它。' },
  'editor.lint.capAt': { en: 'At {release} the first send raises {error}.', zh: '在 {release} 上，第一次发送就会抛出 {error}。' },
  'editor.lint.badLevel': { en: '[upgrade_levels] {option} = {value} is neither a release alias ({aliases}) nor a version like 3.35, so the client uses it verbatim as its version cap.', zh: '[upgrade_levels] {option} = {value} 既不是版本别名（{aliases}），也不是 3.35 这样的版本号，客户端会原样把它当作 version cap。' },
  'editor.lint.badLevelNoAlias': { en: '[upgrade_levels] {option} = {value} is not a version like 1.0, and this client has no release aliases, so it is used verbatim as its version cap.', zh: '[upgrade_levels] {option} = {value} 不是 1.0 这样的版本号，而且该客户端没有版本别名，会原样把它当作 version cap。' },
  'editor.lint.timeout': { en: 'rpc_response_timeout must be a positive number of seconds, not "{value}": the service refuses to start.', zh: 'rpc_response_timeout 必须是正数（秒），而不是 "{value}"：服务将拒绝启动。' },
  'editor.lint.integer': { en: '{option} is an integer, not "{value}".', zh: '{option} 应为整数，而不是 "{value}"。' },
  'editor.lint.boolean': { en: '{option} is True or False; "{value}" reads as False.', zh: '{option} 取值为 True 或 False；"{value}" 会被当作 False。' },
  'editor.lint.emptyHost': { en: 'host is empty: the service would have no queue of its own.', zh: 'host 为空：该服务将没有自己的队列。' },
});

export function lt(key: keyof typeof LINT_STRINGS, vars: Record<string, string | number> = {}): string {
  const e = LINT_STRINGS[key];
  const s = getLocale() === 'en' ? e.en : e.zh || e.en;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}
