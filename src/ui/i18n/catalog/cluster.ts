import { strings } from './define';

export default strings({
});
