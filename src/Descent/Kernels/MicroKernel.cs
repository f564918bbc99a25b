using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Descent.Kernels;

/// <summary>
/// A register-tiled GEMM micro-kernel: C[MR×NR] += alpha · Σₚ Aₚ ⊗ Bₚ over packed panels. The widest one the CPU
/// runs is chosen once: 12×32 with Vector512 (24 accumulators), 6×16 with Vector256 + FMA (12), or a portable one.
/// </summary>
internal abstract unsafe class MicroKernel
{
    public abstract int MR { get; }
    public abstract int NR { get; }

    /// <summary>C (row stride ldc) += alpha · Apanel(MR×kc) · Bpanel(kc×NR).</summary>
    public abstract void Run(int kc, float* a, float* b, float* c, int ldc, float alpha);

    /// <summary>The fastest kernel for this CPU.</summary>
    public static readonly MicroKernel Best =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? new Avx512Kernel() :
        Fma.IsSupported && Vector256.IsHardwareAccelerated ? new Avx2Kernel() :
        new PortableKernel();

    private sealed class Avx512Kernel : MicroKernel
    {
        public override int MR => 12;
        public override int NR => 32;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int kc, float* a, float* b, float* c, int ldc, float alpha)
        {
            // 12×32: 24 accumulators of the 32 zmm registers, two for B, one for the broadcast of A.
            Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default, c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default, c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                var ar = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(ar, b0, c00); c01 = Avx512F.FusedMultiplyAdd(ar, b1, c01);
                ar = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(ar, b0, c10); c11 = Avx512F.FusedMultiplyAdd(ar, b1, c11);
                ar = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(ar, b0, c20); c21 = Avx512F.FusedMultiplyAdd(ar, b1, c21);
                ar = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(ar, b0, c30); c31 = Avx512F.FusedMultiplyAdd(ar, b1, c31);
                ar = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(ar, b0, c40); c41 = Avx512F.FusedMultiplyAdd(ar, b1, c41);
                ar = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(ar, b0, c50); c51 = Avx512F.FusedMultiplyAdd(ar, b1, c51);
                ar = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(ar, b0, c60); c61 = Avx512F.FusedMultiplyAdd(ar, b1, c61);
                ar = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(ar, b0, c70); c71 = Avx512F.FusedMultiplyAdd(ar, b1, c71);
                ar = Vector512.Create(a[8]); c80 = Avx512F.FusedMultiplyAdd(ar, b0, c80); c81 = Avx512F.FusedMultiplyAdd(ar, b1, c81);
                ar = Vector512.Create(a[9]); c90 = Avx512F.FusedMultiplyAdd(ar, b0, c90); c91 = Avx512F.FusedMultiplyAdd(ar, b1, c91);
                ar = Vector512.Create(a[10]); c100 = Avx512F.FusedMultiplyAdd(ar, b0, c100); c101 = Avx512F.FusedMultiplyAdd(ar, b1, c101);
                ar = Vector512.Create(a[11]); c110 = Avx512F.FusedMultiplyAdd(ar, b0, c110); c111 = Avx512F.FusedMultiplyAdd(ar, b1, c111);
                a += 12;
                b += 32;
            }
            var al = Vector512.Create(alpha);
            Store(c, al, c00, c01); c += ldc;
            Store(c, al, c10, c11); c += ldc;
            Store(c, al, c20, c21); c += ldc;
            Store(c, al, c30, c31); c += ldc;
            Store(c, al, c40, c41); c += ldc;
            Store(c, al, c50, c51); c += ldc;
            Store(c, al, c60, c61); c += ldc;
            Store(c, al, c70, c71); c += ldc;
            Store(c, al, c80, c81); c += ldc;
            Store(c, al, c90, c91); c += ldc;
            Store(c, al, c100, c101); c += ldc;
            Store(c, al, c110, c111);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* c, Vector512<float> alpha, Vector512<float> v0, Vector512<float> v1)
        {
            Avx512F.FusedMultiplyAdd(v0, alpha, Vector512.Load(c)).Store(c);
            Avx512F.FusedMultiplyAdd(v1, alpha, Vector512.Load(c + 16)).Store(c + 16);
        }
    }

    private sealed class Avx2Kernel : MicroKernel
    {
        public override int MR => 6;
        public override int NR => 16;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public override void Run(int kc, float* a, float* b, float* c, int ldc, float alpha)
        {
            Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default,
                c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int p = 0; p < kc; p++)
            {
                var b0 = Vector256.Load(b);
                var b1 = Vector256.Load(b + 8);
                var ar = Vector256.Create(a[0]); c00 = Fma.MultiplyAdd(ar, b0, c00); c01 = Fma.MultiplyAdd(ar, b1, c01);
                ar = Vector256.Create(a[1]); c10 = Fma.MultiplyAdd(ar, b0, c10); c11 = Fma.MultiplyAdd(ar, b1, c11);
                ar = Vector256.Create(a[2]); c20 = Fma.MultiplyAdd(ar, b0, c20); c21 = Fma.MultiplyAdd(ar, b1, c21);
                ar = Vector256.Create(a[3]); c30 = Fma.MultiplyAdd(ar, b0, c30); c31 = Fma.MultiplyAdd(ar, b1, c31);
                ar = Vector256.Create(a[4]); c40 = Fma.MultiplyAdd(ar, b0, c40); c41 = Fma.MultiplyAdd(ar, b1, c41);
                ar = Vector256.Create(a[5]); c50 = Fma.MultiplyAdd(ar, b0, c50); c51 = Fma.MultiplyAdd(ar, b1, c51);
                a += 6;
                b += 16;
            }
            var al = Vector256.Create(alpha);
            Store(c, al, c00, c01); c += ldc;
            Store(c, al, c10, c11); c += ldc;
            Store(c, al, c20, c21); c += ldc;
            Store(c, al, c30, c31); c += ldc;
            Store(c, al, c40, c41); c += ldc;
            Store(c, al, c50, c51);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(float* c, Vector256<float> alpha, Vector256<float> v0, Vector256<float> v1)
        {
            Fma.MultiplyAdd(v0, alpha, Vector256.Load(c)).Store(c);
            Fma.MultiplyAdd(v1, alpha, Vector256.Load(c + 8)).Store(c + 8);
        }
    }

    /// <summary>Scalar fallback for CPUs without the vector units above (4×4 tile).</summary>
    private sealed class PortableKernel : MicroKernel
    {
        public override int MR => 4;
        public override int NR => 4;

        public override void Run(int kc, float* a, float* b, float* c, int ldc, float alpha)
        {
            float* acc = stackalloc float[16];
            for (int i = 0; i < 16; i++) acc[i] = 0;
            for (int p = 0; p < kc; p++)
            {
                for (int i = 0; i < 4; i++)
                    for (int j = 0; j < 4; j++) acc[i * 4 + j] += a[i] * b[j];
                a += 4;
                b += 4;
            }
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++) c[(long)i * ldc + j] += alpha * acc[i * 4 + j];
        }
    }
}
