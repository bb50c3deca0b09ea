// Writes the regression benchmark's design (bench/make_data.py's, drawn with another generator) as
// a CSV, for the streaming and CSV-reading benchmarks: x1..x18, d (endogenous), z (binary
// instrument), y, numbers in their shortest round-trip form. Usage: make_regression_csv N FILE
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_regression_csv N FILE\n");
    return 2;
  }
  const auto n = static_cast<long long>(std::strtod(argv[1], nullptr));
  std::FILE* out = std::fopen(argv[2], "wb");
  if (n <= 0 || out == nullptr) {
    std::fprintf(stderr, "make_regression_csv: bad N or cannot write %s\n", argv[2]);
    return 2;
  }
  constexpr int kCovariates = 18;
  std::string line;
  for (int j = 1; j <= kCovariates; ++j) line += "x" + std::to_string(j) + ",";
  line += "d,z,y\n";
  std::fputs(line.c_str(), out);
  std::mt19937_64 rng(20240601);
  std::normal_distribution<double> normal;
  std::bernoulli_distribution coin(0.5);
  std::vector<double> x(kCovariates);
  char number[32];
  const auto append = [&](double v, char end) {
    const auto result = std::to_chars(number, number + sizeof number, v);
    line.append(number, result.ptr);
    line.push_back(end);
  };
  line.clear();
  for (long long i = 0; i < n; ++i) {
    double y = 1.0;
    for (int j = 0; j < kCovariates; ++j) {
      x[j] = normal(rng);
      y += x[j] * (0.05 + 0.45 * j / (kCovariates - 1));
      append(x[j], ',');
    }
    const double z = coin(rng) ? 1.0 : 0.0;
    const double u = normal(rng);  // the confounder the analyst never sees
    const double d = 0.8 * z + 0.3 * x[0] + u + normal(rng);
    y += 1.5 * d + 2.0 * u + normal(rng);
    append(d, ',');
    append(z, ',');
    append(y, '\n');
    if (line.size() > (1 << 20)) {
      std::fwrite(line.data(), 1, line.size(), out);
      line.clear();
    }
  }
  std::fwrite(line.data(), 1, line.size(), out);
  return std::fclose(out) == 0 ? 0 : 1;
}
