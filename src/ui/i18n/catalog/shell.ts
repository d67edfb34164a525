import { strings } from './define';

/** The page frame: header, mode switch, language switch. */
export default strings({
  'shell.language': { en: 'Language', zh: '语言' },
});
