// The standalone console (betrace serve answers it at /): the same pages as the plugin, with
// @grafana/ui, React and the rest bundled instead of provided by Grafana. Separate from the
// scaffold's .config/webpack (left untouched) because the plugin build marks those as externals.
import path from 'path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import HtmlWebpackPlugin from 'html-webpack-plugin';
import type { Configuration } from 'webpack';

const root = process.cwd();
// @grafana/ui loads its icons as SVG files from <public path>build/img/icons (main.tsx sets '/').
const icons = path.join(path.dirname(require.resolve('@grafana/ui')), '..', 'public', 'img', 'icons');

const config = (env: Record<string, unknown>): Configuration => ({
  mode: env.development ? 'development' : 'production',
  context: path.join(root, 'src'),
  entry: { console: './console/main.tsx' },
  devtool: env.development ? 'eval-source-map' : 'source-map',
  output: {
    path: path.join(root, 'dist-console'),
    filename: 'assets/[name].[contenthash:8].js',
    chunkFilename: 'assets/[name].[contenthash:8].js',
    assetModuleFilename: 'assets/[hash][ext]',
    publicPath: '/',
    clean: true,
  },
  module: {
    rules: [
      {
        // Our sources and the workspace's @betrace/dsl (plain TypeScript with .ts imports).
        test: /\.[tj]sx?$/,
        exclude: /node_modules/,
        use: {
          loader: 'swc-loader',
          options: { jsc: { target: 'es2020', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'classic' } } } },
        },
      },
      { test: /\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.s[ac]ss$/, use: ['style-loader', 'css-loader', 'sass-loader'] },
      { test: /\.(png|jpe?g|gif|svg|woff2?|eot|ttf|otf)$/, type: 'asset/resource' },
    ],
  },
  resolve: {
    extensions: ['.js', '.jsx', '.ts', '.tsx'],
    modules: [path.join(root, 'src'), 'node_modules'],
    fallback: { fs: false, path: false, os: false },
  },
  plugins: [
    new HtmlWebpackPlugin({ template: './console/index.html' }),
    new CopyWebpackPlugin({
      patterns: [
        { from: icons, to: 'build/img/icons' },
        // Icons Grafana serves from its own public folder but @grafana/ui does not ship: "spinner" (every
        // loading button) and "circle-mono" (the live badge); without them those show an empty icon.
        { from: './console/icons', to: 'build/img/icons' },
      ],
    }),
  ],
  performance: { hints: false },
  optimization: { splitChunks: { chunks: 'all' } },
});

export default config;
