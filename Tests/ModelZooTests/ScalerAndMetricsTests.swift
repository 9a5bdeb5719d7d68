import Testing
@testable import ModelZoo

@Suite struct ScalerAndMetricsTests {
    @Test func minMaxAndStandard() {
        let v = [2.0, 4, 6, .nan, 10]
        let mm = AffineScaler.fit(.minmax, v)
        #expect(mm.center == 2 && mm.scale == 8)
        #expect(mm.apply(10) == 1 && mm.invert(0.5) == 6)
        let st = AffineScaler.fit(.standard, v)
        #expect(abs(st.center - 5.5) < 1e-12)
        #expect(abs(st.scale - (((3.5 * 3.5) + (1.5 * 1.5) + (0.5 * 0.5) + (4.5 * 4.5)) / 4).squareRoot()) < 1e-12)
    }

    @Test func constantColumnMapsToZero() {
        let s = AffineScaler.fit(.minmax, [3.0, 3, 3])
        #expect(s.scale == 1 && s.apply(3) == 0)
        #expect(AffineScaler.fit(.standard, [3.0, 3]).scale == 1)
    }

    @Test func regressionMetricsKnownNumbers() {
        let m = RegressionMetrics(actual: [3, -0.5, 2, 7], predicted: [2.5, 0.0, 2, 8])
        // scikit-learn: mean_squared_error 0.375, mean_absolute_error 0.5, r2_score 0.9486081370449679, max_error 1
        #expect(m.mse == 0.375)
        #expect(m.mae == 0.5)
        #expect(abs(m.r2 - 0.9486081370449679) < 1e-15)
        #expect(m.maxError == 1)
        #expect(m.rmse == 0.375.squareRoot())
    }
}
